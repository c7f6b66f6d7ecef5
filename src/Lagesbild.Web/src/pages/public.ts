import { signInUrl, type Session } from "../auth/session";
import type { SignInMode } from "../auth/signIn";
import { m } from "../i18n";
import { pointSymbolSvg } from "../map/symbols";
import { residentInfoFacts } from "../panels/residentInfo";
import type { NearbySafetyPoint, PublicSafetyPoint } from "../picture/protocol";
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
  const near = nearestSection();

  document.body.replaceChildren(
    h("header", { class: "top" }, titlebar(m.appTitle, null, signedIn ? accountBar(signedIn.session, signedIn.mode).element : null)),
    h("main", { id: "main", class: "public" },
      h("h2", null, m.publicView.title),
      signedIn ? h("p", { class: "sign-in-notice" }, m.publicView.onlyPublic(signedIn.session.user.name)) : null,
      h("p", { class: "public-intro" }, m.publicView.intro),
      near.section,
      h("h3", { class: "public-all" }, m.publicView.allHeading),
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
      await near.refresh();
    } catch {
      // Keep showing the last list; say that it could not be refreshed.
      updated.textContent = m.publicView.loadFailed;
    }
  };
  void load();
  setInterval(() => void load(), refreshEveryMs);
}

/**
 * "The open points nearest to me": asks the browser for the position only when the resident
 * presses the button, then lists the nearest three with their distance, refreshed with the list.
 */
function nearestSection(): { section: HTMLElement; refresh(): Promise<void> } {
  let position: { lon: number; lat: number } | null = null;
  const status = h("p", { class: "public-near-status", role: "status" });
  const list = h("div", { class: "public-near" });
  const refresh = async () => {
    if (!position) return;
    const query = new URLSearchParams({ lon: String(position.lon), lat: String(position.lat), count: "3" });
    const response = await fetch(`/api/public/safety-points/nearest?${query}`, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(String(response.status));
    const nearest = (await response.json()) as NearbySafetyPoint[];
    status.textContent = "";
    replaceKeepingFocus(list, nearest.length === 0
      ? [h("p", null, m.publicView.none)]
      : [h("ul", { class: "rows" }, nearest.map((n) => pointItem(n.point, n.distanceMetres)))]);
  };
  const button = h("button", {
    type: "button",
    onclick: () => {
      if (!("geolocation" in navigator)) {
        status.textContent = m.publicView.noPosition;
        return;
      }
      status.textContent = m.publicView.locating;
      navigator.geolocation.getCurrentPosition(
        (found) => {
          position = { lon: found.coords.longitude, lat: found.coords.latitude };
          refresh().catch(() => { status.textContent = m.publicView.loadFailed; });
        },
        () => { status.textContent = m.publicView.noPosition; },
        { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 });
    },
  }, m.publicView.nearMe);
  const section = h("section", { class: "public-nearest", "aria-labelledby": "public-near-heading" },
    h("h3", { id: "public-near-heading" }, m.publicView.nearHeading), button, status, list);
  return { section, refresh };
}

function pointItem(point: PublicSafetyPoint, distanceMetres?: number): HTMLLIElement {
  return h("li", { class: "row public-point", "data-public-point-id": point.id, "data-status": point.status, "data-example": String(point.example) },
    h("h4", null, point.name),
    distanceMetres === undefined ? null : h("p", { class: "public-distance", "data-distance-metres": String(distanceMetres) }, m.publicView.distance(distanceMetres)),
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
