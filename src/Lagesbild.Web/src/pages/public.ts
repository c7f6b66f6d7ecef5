import { signInUrl, type Session } from "../auth/session";
import type { SignInMode } from "../auth/signIn";
import { m } from "../i18n";
import { pointSymbolSvg } from "../map/symbols";
import { residentInfoFacts } from "../panels/residentInfo";
import type { PublicSafetyPoint } from "../picture/protocol";
import { installTestHooks } from "../testHooks";
import { facts, h, replaceKeepingFocus, svgIcon } from "../ui/dom";
import { formatAgo, formatClock, parseTime } from "../ui/time";
import { accountBar, titlebar } from "./header";

const refreshEveryMs = 60_000;

/**
 * What residents see: the trygghetspunkter that are open (or opening, or closing), where
 * they are and what they offer — from `GET /api/public/safety-points`, which needs no
 * sign-in and carries nothing internal. Also shown to someone signed in with the public role.
 */
export function showPublicPage(signedIn: { session: Session; mode: SignInMode } | null): void {
  document.title = `${m.publicView.title} – ${m.appTitle}`;
  const updated = h("p", { class: "public-updated", role: "status" }, m.publicView.loading);
  const list = h("div", { class: "public-points" });

  document.body.replaceChildren(
    h("header", { class: "top" }, titlebar(m.appTitle, null, signedIn ? accountBar(signedIn.session, signedIn.mode).element : null)),
    h("main", { id: "main", class: "public" },
      h("h2", null, m.publicView.title),
      signedIn ? h("p", { class: "sign-in-notice" }, m.publicView.onlyPublic(signedIn.session.user.name)) : null,
      h("p", { class: "public-intro" }, m.publicView.intro),
      updated,
      list,
      signedIn ? null : h("p", { class: "public-link" }, h("a", { href: signInUrl() }, m.publicView.staffSignIn))),
  );
  installTestHooks("public", signedIn?.session.user ?? null);

  const load = async () => {
    try {
      // Deliberately without a token: this is what anyone may see.
      const response = await fetch("/api/public/safety-points", { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const points = (await response.json()) as PublicSafetyPoint[];
      replaceKeepingFocus(list, points.length === 0
        ? [h("p", null, m.publicView.none)]
        : [h("ul", { class: "rows" }, points.map(pointItem))]);
      updated.textContent = m.publicView.updated(formatClock(new Date()));
    } catch {
      // Keep showing the last list; say that it could not be refreshed.
      updated.textContent = m.publicView.loadFailed;
    }
  };
  void load();
  setInterval(() => void load(), refreshEveryMs);
}

function pointItem(point: PublicSafetyPoint): HTMLLIElement {
  return h("li", { class: "row public-point", "data-public-point-id": point.id, "data-status": point.status, "data-example": String(point.example) },
    h("h3", null, point.name),
    point.example ? h("p", { class: "example-note" }, h("span", { class: "tag warn" }, m.publicView.example)) : null,
    h("p", { class: "status-line" },
      svgIcon(pointSymbolSvg(point.status, 22)),
      h("strong", null, m.publicView.statuses[point.status]),
      point.full ? h("span", { class: "tag warn" }, m.publicView.full) : null),
    facts([
      [m.publicView.address, point.address],
      ...residentInfoFacts(point.residentInfo),
      [m.publicView.limitations, point.limitations],
      [m.publicView.offers, point.offers.length > 0 ? point.offers.map((c) => m.point.capabilityNames[c] ?? c).join(", ") : null],
    ]),
    h("p", { class: "row-meta" }, m.freshness.updated(formatAgo(Date.now() - parseTime(point.updatedAt)))));
}
