import type { Session } from "../auth/session";
import { signOut, type SignInMode } from "../auth/signIn";
import { chooseLanguage, lang, languages, m } from "../i18n";
import type { User } from "../picture/access";
import { h, type Child } from "../ui/dom";

/** The title bar every page has: the title, what the page adds (connection, who is signed in), the language. */
export function titlebar(title: Child | Child[], indicator: Child, end: Child = null): HTMLElement {
  const languageSelect = h("select", { id: "language", onchange: () => chooseLanguage(languageSelect.value) },
    languages.map((code) => h("option", { value: code, selected: code === lang }, m.languageNames[code] ?? code)));
  return h("div", { class: "titlebar" },
    h("h1", null, title),
    indicator,
    h("div", { class: "titlebar-end" },
      end,
      h("div", { class: "language" }, h("label", { for: "language" }, m.language), languageSelect)));
}

/**
 * "Inloggad som Sara Ek (Farsta stadsdelsförvaltning) – Logga ut". The description is the
 * demo user's title, or else the role and where it applies (named by `place`, which may
 * learn the names only once the picture has arrived: call `refresh`).
 */
export function accountBar(session: Session, mode: SignInMode, place: (user: User) => string | null = () => null): { element: HTMLElement; refresh(): void } {
  const { user } = session;
  const description = h("span", { class: "account-title" });
  const element = h("p", { class: "account", "data-role": user.role },
    `${m.account.signedInAs} `, h("strong", null, user.name), " ", description, " – ",
    h("button", { type: "button", class: "sign-out", onclick: () => void signOut(mode) }, m.account.signOut));
  const refresh = () => {
    const where = place(user);
    const role = m.account.roles[user.role] ?? user.role;
    description.textContent = `(${session.title ?? (where ? `${role}, ${where}` : role)})`;
  };
  refresh();
  return { element, refresh };
}
