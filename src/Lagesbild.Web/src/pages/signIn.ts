import { signInUrl, type Session } from "../auth/session";
import { beginSignIn, devUsers, signInAsDevUser, type SignInMode } from "../auth/signIn";
import { m } from "../i18n";
import type { DevUser } from "../picture/protocol";
import { installTestHooks } from "../testHooks";
import { h } from "../ui/dom";
import { titlebar } from "./header";

/** Something to tell the person arriving at the sign-in screen: why they are here, or what went wrong. */
export interface SignInNotice { kind: "info" | "error"; text: string }

/**
 * The sign-in screen: the demo users as buttons (development sign-in), or one button to
 * the city's identity provider; and the way to the public view for residents.
 */
export function showSignInPage(mode: SignInMode, notice: SignInNotice | null, signedIn: (session: Session) => void): void {
  document.title = `${m.signIn.heading} – ${m.appTitle}`;
  const status = h("p", { class: "sign-in-status", role: "status" });
  const alert = h("div", { class: "sign-in-alert", role: "alert" });
  const choices = h("div", { class: "sign-in-choices" });

  document.body.replaceChildren(
    h("header", { class: "top" }, titlebar(m.appTitle, null)),
    h("main", { id: "main", class: "sign-in" },
      h("section", { class: "sign-in-card", "aria-labelledby": "sign-in-heading" },
        h("h2", { id: "sign-in-heading" }, m.signIn.heading),
        h("p", null, m.signIn.intro),
        alert,
        choices,
        status,
        h("p", { class: "public-link" }, h("a", { href: publicViewUrl() }, m.signIn.publicLink)))),
  );
  installTestHooks("sign-in", null);

  const showProblem = (text: string) => alert.replaceChildren(h("p", { class: "form-error" }, h("strong", null, `${m.signIn.failed}: `), text));
  if (notice?.kind === "error") showProblem(notice.text);
  else if (notice) alert.replaceChildren(h("p", { class: "sign-in-notice" }, notice.text));

  /** Runs one sign-in attempt with every choice disabled meanwhile; a failure is shown and the choices come back. */
  const attempt = async (progress: string, signIn: () => Promise<void>) => {
    for (const button of choices.querySelectorAll("button")) button.disabled = true;
    alert.replaceChildren();
    status.textContent = progress;
    try {
      await signIn();
    } catch (error) {
      status.textContent = "";
      showProblem(error instanceof Error ? error.message : String(error));
      for (const button of choices.querySelectorAll("button")) button.disabled = false;
    }
  };

  switch (mode.mode) {
    case "development": {
      choices.append(h("p", { class: "dev-note" }, m.signIn.development));
      status.textContent = m.signIn.loadingUsers;
      devUsers()
        .then((users) => {
          status.textContent = "";
          choices.append(h("h3", { id: "dev-users-heading" }, m.signIn.chooseUser),
            h("ul", { class: "dev-users", "aria-labelledby": "dev-users-heading" }, users.map((user) => h("li", null, devUserButton(user, () =>
              void attempt(m.signIn.signingIn(user.name), async () => signedIn(await signInAsDevUser(user.id))))))));
        })
        .catch((error: unknown) => {
          status.textContent = "";
          showProblem(error instanceof Error ? error.message : String(error));
        });
      break;
    }
    case "oidc":
      choices.append(h("button", {
        type: "button", class: "primary sign-in-provider",
        onclick: () => void attempt(m.signIn.redirecting, () => beginSignIn(mode)),
      }, m.signIn.withProvider));
      break;
    case "unavailable":
      choices.append(
        h("p", null, m.signIn.unavailable),
        h("button", { type: "button", onclick: () => location.reload() }, m.signIn.retry));
      break;
  }
}

function devUserButton(user: DevUser, onclick: () => void): HTMLButtonElement {
  return h("button", { type: "button", class: "dev-user", "data-user": user.id, onclick },
    // The space keeps name and title apart in the button's accessible name; the layout stacks them.
    h("span", { class: "dev-user-name" }, user.name), " ",
    h("span", { class: "dev-user-title" }, user.title));
}

/** The public view of open trygghetspunkter, which needs no sign-in. */
export function publicViewUrl(): string {
  const url = new URL(signInUrl());
  url.searchParams.set("view", "public");
  return url.toString();
}
