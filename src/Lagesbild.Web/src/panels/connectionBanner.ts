import { m } from "../i18n";
import type { ConnectionState } from "../live/connection";
import { h } from "../ui/dom";
import { agoText } from "../ui/freshness";
import { formatClock } from "../ui/time";

const caughtUpShownMs = 6000;

type Shown =
  | { mode: "waiting" }
  | { mode: "live" }
  | { mode: "caught-up" }
  | { mode: "lost"; asOf: Date }
  | { mode: "catching-up"; asOf: Date }
  | { mode: "refused"; message: string };

/**
 * Says plainly whether the page is live: a prominent banner while the live
 * connection is down ("visar läget från HH:MM:SS") or the page is catching up
 * after sleeping, "Ikapp – live" once it has caught up, and a small indicator
 * in the title bar at all times. Both sit in polite live regions.
 */
export class ConnectionBanner {
  readonly banner = h("div", { id: "connection-banner", class: "connection-banner", role: "status", "aria-live": "polite" });
  readonly indicator = h("p", { class: "connection-indicator", "data-state": "disconnected" });
  private shown: Shown = { mode: "waiting" };
  private state: ConnectionState = "disconnected";
  /** The last moment the picture on screen was known to be current. */
  private currentAt: Date | null = null;
  private caughtUpTimer: ReturnType<typeof setTimeout> | undefined;
  /** Showing the picture kept on the device, not yet joined: nothing can be changed until the server answers. */
  private fromDevice = false;

  constructor() {
    this.render();
  }

  setState(state: ConnectionState, lastContact?: Date): void {
    // The picture is as current as the last thing that arrived, not the moment the loss is noticed.
    this.state = state;
    if (state !== "connected" && lastContact && this.currentAt && lastContact < this.currentAt) this.currentAt = lastContact;
    if (state !== "connected" && this.currentAt) this.show({ mode: "lost", asOf: this.currentAt });
    this.render();
  }

  /** A Join was answered: the picture is complete again. */
  joined(): void {
    this.fromDevice = false;
    this.markCurrent();
    const wasBehind = this.shown.mode === "lost" || this.shown.mode === "catching-up" || this.shown.mode === "refused";
    this.show({ mode: wasBehind ? "caught-up" : "live" });
    if (wasBehind) {
      this.caughtUpTimer = setTimeout(() => this.show({ mode: "live" }), caughtUpShownMs);
    }
  }

  refused(message: string): void {
    this.show({ mode: "refused", message });
  }

  /** The page starts from the picture kept on the device, current at `at`, until the server answers. */
  startedFrom(at: Date): void {
    this.fromDevice = true;
    this.currentAt = at;
    this.show({ mode: "catching-up", asOf: at });
  }

  /** The page slept or was hidden: show how old the picture is until the catch-up is answered. */
  woke(): void {
    if (this.state === "connected" && this.currentAt) this.show({ mode: "catching-up", asOf: this.currentAt });
  }

  /** Called as messages arrive and on every tick while live and visible. */
  markCurrent(): void {
    if (this.state === "connected") this.currentAt = new Date();
  }

  notice(message: string): void {
    this.banner.replaceChildren(h("p", { class: "notice" }, message));
    this.banner.dataset["mode"] = "notice";
  }

  private show(shown: Shown): void {
    // A pending "back to plain live" must not hide a loss that happened since.
    clearTimeout(this.caughtUpTimer);
    this.shown = shown;
    this.render();
  }

  private render(): void {
    const { shown } = this;
    this.indicator.dataset["state"] = this.state;
    this.indicator.replaceChildren(h("span", { class: "dot", "aria-hidden": "true" }), m.connection[this.state]);
    this.banner.dataset["mode"] = shown.mode;
    this.banner.dataset["readOnly"] = String(this.fromDevice);
    const readOnly = this.fromDevice ? [h("p", { class: "read-only" }, h("strong", null, m.connection.readOnly))] : [];
    switch (shown.mode) {
      case "waiting":
        this.banner.replaceChildren(h("p", null, m.connection.waiting));
        break;
      case "live":
        this.banner.replaceChildren();
        break;
      case "caught-up":
        this.banner.replaceChildren(h("p", null, m.connection.caughtUp));
        break;
      case "lost":
        this.banner.replaceChildren(
          h("p", null, h("strong", null, m.connection.lost(formatClock(shown.asOf))), " (", agoText(shown.asOf), ")"),
          ...readOnly,
          h("p", null, m.connection.retrying));
        break;
      case "catching-up":
        this.banner.replaceChildren(h("p", null, m.connection.catchingUp(formatClock(shown.asOf)), " (", agoText(shown.asOf), ")"), ...readOnly);
        break;
      case "refused":
        this.banner.replaceChildren(h("p", null, m.connection.joinRefused(shown.message)));
        break;
    }
  }
}
