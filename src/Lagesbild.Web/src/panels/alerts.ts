import { command, newIdempotencyKey, sendCommand, type CommandRequest } from "../api/http";
import { m } from "../i18n";
import { alertSeverities, type EntityKind, type EntityRecord } from "../picture/protocol";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { panel } from "../ui/panel";
import { select } from "../ui/selection";
import { clearErrors, reasonField, showRefusal, withReason } from "../ui/forms";
import { formatClock, formatDateTime } from "../ui/time";
import { entityText } from "./entityText";
import type { DetailView, PanelContext } from "./details";
import { pushSubscriptionButton } from "./pushSubscription";

type AlertRecord = EntityRecord<"Alert">;

const centralKrisledning = "central-krisledning";

/**
 * The duty view, first on the page: what needs me now, newest and most severe first. An alert reaches the
 * page as any change does (a live delta): the one that went to me and waits for me is announced in the page
 * and acknowledged with one tap; the sender's view shows where each recipient stands. Who may tap what is
 * the server's (the permissions), the page keeps no rule of its own.
 */
export function alertsPanel(context: PanelContext): { section: HTMLElement; render(): void } {
  const { store, may } = context;
  const { section, body, setCount } = panel("alerts", m.alert.panel);
  const noticeText = h("span");
  // On a phone the map comes first: the notice stands at the screen's foot and leads to the alert.
  const notice = h("p", { class: "alert-notice", role: "alert", hidden: true }, noticeText, " ",
    h("button", { type: "button", class: "small", onclick: () => {
      section.scrollIntoView({ block: "start" });
      list.querySelector<HTMLButtonElement>("button[data-command=AcknowledgeAlert]")?.focus();
    } }, m.alert.show));
  const list = h("ul", { class: "rows alert-rows" });
  body.append(notice, list, pushSubscriptionButton());
  const announced = new Set<string>();
  // A triage form outlives the list's redraws: another alert arriving, or this one being acknowledged, must not
  // take the TiB's comment, the desk she chose, a refusal shown or the caret. Rebuilt only when what it offers
  // changes (the permissions or the desks), and then with what was typed carried over.
  const triageForms = new Map<string, { form: HTMLFormElement; offer: string }>();
  const triageKept = new Set<string>();

  function render(): void {
    const now = store.all("Alert").filter((a) => a.state.clearedAt === null || a.state.acknowledgedAt === null)
      .sort((a, b) => alertSeverities.indexOf(b.state.severity) - alertSeverities.indexOf(a.state.severity)
        || b.state.raisedAt.localeCompare(a.state.raisedAt));
    setCount(now.length);
    const waiting = now.filter((a) => waitsFor(a));
    const fresh = waiting.find((a) => !announced.has(a.id));
    waiting.forEach((a) => announced.add(a.id));
    if (fresh) {
      noticeText.textContent = m.alert.notice(fresh.state.name);
      notice.hidden = false;
    } else if (waiting.length === 0) {
      notice.hidden = true;
    }
    triageKept.clear();
    const typing = typingIn();
    replaceKeepingFocus(list, now.length === 0 ? [h("li", null, m.alert.empty)] : now.map(row));
    for (const id of [...triageForms.keys()]) {
      if (!triageKept.has(id)) triageForms.delete(id);
    }
    typing?.restore();
  }

  /** The field of a triage form that has the focus, to be given it back, caret and all, once the list is redrawn. */
  function typingIn(): { restore(): void } | null {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || !list.contains(active) || !active.closest("form.alert-triage")) return null;
    const text = active instanceof HTMLTextAreaElement || active instanceof HTMLInputElement ? active : null;
    const [start, end, direction] = [text?.selectionStart ?? null, text?.selectionEnd ?? null, text?.selectionDirection ?? undefined];
    return {
      restore() {
        if (!active.isConnected || document.activeElement === active) return;
        active.focus({ preventScroll: true });
        if (text && start !== null && end !== null) text.setSelectionRange(start, end, direction);
      },
    };
  }

  /** Whether the alert went to me: the server's permissions let its recipients alone acknowledge it. */
  function isMine(record: AlertRecord): boolean {
    return may({ command: "AcknowledgeAlert", kind: "Alert", id: record.id, district: record.state.district }) === null;
  }

  /** Whether it went to me and waits for my tap. */
  function waitsFor(record: AlertRecord): boolean {
    return record.state.acknowledgedAt === null && isMine(record);
  }

  function row(record: AlertRecord): HTMLLIElement {
    const { state } = record;
    const mine = isMine(record);
    const failure = h("p", { class: "refused", hidden: true });
    const phone = state.district ? store.get("District", state.district)?.state.dutyContact?.phone : null;
    const central = store.get("CrisisBody", centralKrisledning);
    const mayStart = central !== undefined && central.state.activation !== "Activated"
      && may({ command: "ChangeCrisisBodyActivation", kind: "CrisisBody", id: centralKrisledning, district: null }) === null;
    const [causeKind, causeId] = state.cause.entity.split("/");
    return h("li", {
      class: "row alert-row", "data-alert-id": record.id, "data-severity": state.severity,
      "data-acknowledged": String(state.acknowledgedAt !== null), "data-mine": String(mine),
    },
    h("p", { class: "row-title" },
      h("span", { class: `tag ${state.severity === "Critical" || state.severity === "Severe" ? "alert" : "warn"}` }, m.alert.severities[state.severity]),
      " ", state.name),
    h("p", { class: "row-meta" },
      h("time", { datetime: state.raisedAt }, formatDateTime(state.raisedAt)), ", ",
      state.acknowledgedAt !== null ? m.alert.acknowledged(state.acknowledgedBy ?? "") : m.alert.notAcknowledged,
      state.clearedAt !== null ? `, ${m.alert.cleared.toLowerCase()}` : "",
      state.escalatesAt !== null ? ` · ${m.alert.nextWave(formatDateTime(state.escalatesAt))}` : ""),
    state.cap ? h("p", { class: "row-meta", "data-cap-sender": state.cap.sender }, m.alert.outside(state.source, state.cap.areaDesc ?? null)) : null,
    state.triage ? h("p", { class: "row-meta", "data-triage": state.triage.outcome },
      m.alert.triaged[state.triage.outcome](state.triage.by, formatDateTime(state.triage.at)),
      state.triage.forwardedTo ? ` ${m.alert.forwardedTo(deskName(state.triage.forwardedTo))}` : "",
      state.triage.comment ? ` – ${state.triage.comment}` : "") : null,
    h("ul", { class: "alert-recipients" }, state.recipients.map((r) =>
      h("li", { "data-recipient": r.person, "data-recipient-state": r.state },
        `${r.person} (${m.alert.wave(r.wave)}): ${m.alert.states[r.state]}${deliveries(r)}`))),
    h("p", { class: "alert-actions" },
      waitsFor(record) ? h("button", {
        type: "button", class: "primary", "data-command": "AcknowledgeAlert",
        onclick: (event: Event) => void send(event.currentTarget as HTMLButtonElement, failure,
          command(store.picture, "POST", `alerts/${encodeURIComponent(record.id)}/acknowledge`, {})),
      }, m.alert.acknowledge) : null,
      state.cap && state.cap.areas.length > 0 ? h("button", {
        type: "button", class: "small", "data-show-area": record.id,
        onclick: () => select({ kind: "Alert", id: record.id }, "list"),
      }, m.alert.showOnMap) : null,
      causeKind && causeId && causeKind !== "Alert" ? h("button", {
        type: "button", class: "small", "data-show-cause": state.cause.entity,
        onclick: () => select({ kind: causeKind as EntityKind, id: causeId }, "list"),
      }, m.alert.showCause) : null,
      phone ? h("a", { class: "button small", href: `tel:${phone.replace(/[^+\d]/g, "")}`, "data-call": phone }, m.alert.call(phone)) : null,
      mayStart ? h("button", {
        type: "button", class: "small", "data-command": "ChangeCrisisBodyActivation",
        onclick: (event: Event) => void send(event.currentTarget as HTMLButtonElement, failure,
          command(store.picture, "PUT", `crisis-bodies/${centralKrisledning}/activation`, { activation: "Activated", reason: state.name })),
      }, m.alert.startCentral) : null),
    triageForm(record),
    failure);
  }

  /**
   * The TiB's three answers to an alert from outside, one hand on a phone: a comment or reason (required to dismiss,
   * the server says so beside the field), the desk to forward to, and one tap each. Offered to whom the server allows.
   */
  function triageForm(record: AlertRecord): HTMLFormElement | null {
    const { state } = record;
    const target = { kind: "Alert" as const, id: record.id, district: state.district };
    if (!state.cap || state.triage || state.clearedAt !== null) return null;
    const refusedNow = (["AcceptAlert", "ForwardAlert", "DismissAlert"] as const).map((c) => may({ command: c, ...target }));
    if (refusedNow.every((why) => why !== null)) return null;
    const deskChoices = [
      ...store.all("District").map((d) => [`district:${d.id}`, m.alert.districtDesk(d.state.name)] as const),
      ...store.all("CrisisBody").map((b) => [`body:${b.id}`, b.state.name] as const)];
    const offer = JSON.stringify([refusedNow, deskChoices]);
    const kept = triageForms.get(record.id);
    triageKept.add(record.id);
    if (kept?.offer === offer) return kept.form;
    const form = buildTriageForm(record, deskChoices);
    if (kept) carryOver(kept.form, form);
    triageForms.set(record.id, { form, offer });
    return form;
  }

  /** What was typed and chosen in a form, into its successor (same field names). */
  function carryOver(from: HTMLFormElement, to: HTMLFormElement): void {
    for (const field of to.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>("[name]")) {
      const before = from.querySelector<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(`[name="${CSS.escape(field.name)}"]`);
      if (!before) continue;
      if (field instanceof HTMLInputElement && field.type === "checkbox") field.checked = (before as HTMLInputElement).checked;
      else if (!(field instanceof HTMLSelectElement) || [...field.options].some((o) => o.value === before.value)) field.value = before.value;
    }
  }

  function buildTriageForm(record: AlertRecord, deskChoices: (readonly [string, string])[]): HTMLFormElement {
    const { state } = record;
    const target = { kind: "Alert" as const, id: record.id, district: state.district };
    const errorHost = h("div", { class: "form-error-host" });
    const deskId = `forward-${record.id}`;
    const desks = h("select", { id: deskId, name: "desk" }, deskChoices.map(([value, text]) => h("option", { value }, text)));
    const form = h("form", { class: "alert-triage", "aria-label": `${m.alert.triage}: ${state.name}` });
    const reason = reasonField(false);
    reason.querySelector("label")!.firstChild!.textContent = m.alert.triageReason;
    // Disabled is also said in words, beside the buttons.
    const refusals = new Set<string>();
    const button = (commandName: "AcceptAlert" | "ForwardAlert" | "DismissAlert", label: string, path: string, body: (data: FormData) => object, primary = false) => {
      const refused = may({ command: commandName, ...target });
      if (refused !== null) refusals.add(refused);
      return h("button", {
        type: "button", class: primary ? "primary" : "", "data-command": commandName, disabled: refused !== null,
        onclick: (event: Event) => {
          const data = new FormData(form);
          clearErrors(form, errorHost);
          void send(event.currentTarget as HTMLButtonElement, null,
            command(store.picture, "POST", `alerts/${encodeURIComponent(record.id)}/${path}`, withReason(body(data), data)),
            (error) => showRefusal(form, errorHost, error));
        },
      }, label);
    };
    form.append(
      h("h3", null, m.alert.triage),
      reason,
      h("div", { class: "field" }, h("label", { for: deskId }, m.alert.forwardTo), desks),
      errorHost,
      h("p", { class: "alert-actions" },
        button("AcceptAlert", m.alert.accept, "accept", () => ({}), true),
        button("ForwardAlert", m.alert.forward, "forward", (data) => {
          const [kind, id] = String(data.get("desk") ?? "").split(":");
          return kind === "body" ? { crisisBody: id } : { district: id };
        }),
        button("DismissAlert", m.alert.dismiss, "dismiss", () => ({}))),
      ...[...refusals].map((why) => h("p", { class: "refused" }, why)));
    return form;
  }

  /** A desk as the page names it: a district's beredskap or a crisis body. */
  function deskName(desk: string): string {
    const district = desk.startsWith("district-") ? store.get("District", desk.slice("district-".length)) : undefined;
    return district ? m.alert.districtDesk(district.state.name) : store.get("CrisisBody", desk)?.state.name ?? desk;
  }

  /** One tap: the change comes back as a live delta, as everyone's does; a refusal is shown in `failure` or by `refused`. */
  async function send(button: HTMLButtonElement, failure: HTMLElement | null, request: CommandRequest,
    refused?: (error: unknown) => void): Promise<void> {
    button.disabled = true;
    try {
      await sendCommand(request, newIdempotencyKey());
      if (failure) failure.hidden = true;
    } catch (error) {
      if (refused) refused(error);
      if (failure) {
        failure.textContent = m.alert.failed(error instanceof Error ? error.message : String(error));
        failure.hidden = false;
      }
      button.disabled = false;
    }
  }

  return { section, render };
}

/** How the outbox's channels reached a recipient, as the loggbok recorded it: "e-post levererad 02:01:03". */
function deliveries(recipient: AlertRecord["state"]["recipients"][number]): string {
  const outcomes = recipient.channels ?? [];
  if (outcomes.length === 0) return "";
  return " · " + outcomes.map((c) => {
    const channel = m.alert.channels[c.channel] ?? c.channel;
    return c.result === "Delivered" ? m.alert.delivered(channel, formatClock(c.at)) : m.alert.undelivered(channel);
  }).join(", ");
}

export const alertDetails: DetailView<"Alert"> = {
  kindLabel: m.alert.kind,
  view(record, context) {
    const { state } = record;
    return [
      facts([
        [m.alert.headline, state.name],
        [m.alert.source, state.source],
        [m.alert.area, state.cap?.areaDesc ?? null],
        [m.alert.raisedAt, formatDateTime(state.raisedAt)],
        [m.alert.recipients, state.recipients.map((r) => `${r.person} (${m.alert.wave(r.wave)}): ${m.alert.states[r.state]}`).join("; ")],
        [m.alert.triage, state.triage ? m.alert.triaged[state.triage.outcome](state.triage.by, formatDateTime(state.triage.at)) : null],
      ]),
      // The message's text is in its loggbok entries (kept out of the picture so a map's join stays small).
      state.cap ? entityText(context.store.picture, "Alert", record.id, record.seq, m.alert.loading, m.alert.loadFailed, (entries) => {
        const texts = entries.map((e) => (e.change as { detail?: string | null } | null)?.detail).filter((t): t is string => !!t);
        const latest = texts[texts.length - 1];
        return latest ? [h("h3", null, m.alert.text), h("p", { class: "message-text" }, latest)] : [];
      }) : null,
    ];
  },
  actions() {
    return [];
  },
};
