// An exercise as it runs: the scenario clock in the ÖVNING banner, a desk's inkorg, and exercise control's panel.
import { apiFetch, command, fetchEntityLog, newIdempotencyKey, pictureUrl, seg, sendCommand, CommandRefused, type CommandRequest } from "../api/http";
import { m } from "../i18n";
import type { EntityRecord } from "../picture/protocol";
import type { components } from "../picture/contract.gen";
import type { PictureStore } from "../picture/store";
import { facts, h, replaceKeepingFocus } from "../ui/dom";
import { field, selectField, text } from "../ui/forms";
import { panel } from "../ui/panel";
import { formatClock, parseTime } from "../ui/time";
import type { DetailView } from "./details";
import type { May } from "./permissions";

type Schemas = components["schemas"];
type RunRecord = EntityRecord<"Exercise">;
type MessageRecord = EntityRecord<"Message">;
type Inject = Schemas["Inject"];

/** The run of an exercise picture (ExerciseRunRules.Id). */
const runId = "ovning";

/** A .NET TimeSpan as written on the wire (`[d.]hh:mm:ss[.fffffff]`) in milliseconds. */
export function timeSpanMs(span: string | null | undefined): number {
  const match = /^(-)?(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span ?? "");
  if (!match) return 0;
  const [, minus, days, hours, minutes, seconds] = match;
  const ms = (((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return minus ? -ms : ms;
}

/** Scenario time as exercise control writes it: `T+01:30:00`. */
export function formatScenario(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `T+${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** The scenario time now, folded from the run's clock as the loggbok left it (ExerciseClock.ScenarioTime). */
export function scenarioNow(run: RunRecord | undefined, now = Date.now()): number {
  const clock = run?.state.clock;
  if (!clock) return 0;
  const mark = timeSpanMs(clock.scenarioAtMark);
  if (clock.state !== "Running" || !clock.wallAtMark) return mark;
  return mark + Math.max(0, now - parseTime(clock.wallAtMark)) * clock.speed;
}

/** The small clock in the ÖVNING banner: ticks on the page from the folded state and speed. */
export function exerciseClock(store: PictureStore): HTMLElement {
  const element = h("span", { class: "exercise-clock", "data-exercise-clock": "", role: "timer", "aria-live": "off" });
  const tick = (): void => {
    const run = store.get("Exercise", runId);
    const state = run?.state.clock.state ?? "NotStarted";
    element.dataset.clockState = state;
    const time = formatScenario(scenarioNow(run));
    element.textContent = state === "NotStarted" ? m.exerciseRun.notStarted
      : state === "Paused" ? `${m.exerciseRun.paused} ${time}`
        : state === "Stopped" ? `${m.exerciseRun.stopped} ${time}`
          : `${m.exerciseRun.scenarioTime(time)} (${m.exerciseRun.speed(run?.state.clock.speed ?? 1)})`;
  };
  tick();
  setInterval(tick, 1000);
  store.onChange(tick);
  return element;
}

/** Sends one command from a button, with its answer in `status`; a refusal says why in the server's words. */
export function sendFrom(status: HTMLElement, request: CommandRequest): void {
  status.textContent = "";
  sendCommand(request, newIdempotencyKey())
    .then(() => { status.textContent = m.exerciseRun.done; })
    .catch((error: unknown) => {
      status.textContent = error instanceof CommandRefused ? error.message : String(error);
    });
}

/**
 * A desk's inkorg: the messages addressed to the signed-in person's desk (those the server lets her
 * mark read), unread first counted; the text is fetched when one is opened, and she answers with the
 * ordinary forms (a lägesrapport, a beslut, an uppdrag, an activation).
 */
export function inboxPanel(store: PictureStore, may: May): { section: HTMLElement; render(): void } {
  const { section, body, setCount } = panel("inbox", m.exerciseRun.inbox);
  section.classList.add("inbox");
  const list = h("ul", { class: "rows inbox-list" });
  const opened = h("div", { class: "inbox-message", "data-inbox-message": "" });
  body.append(list, opened);
  let openId: string | null = null;

  function render(): void {
    // Addressed to this person's desk: the messages the server lets her mark read.
    const messages: MessageRecord[] = store.all("Message").filter((message) =>
      may({ command: "ReadMessage", kind: "Message", id: message.id, district: message.state.district ?? null }) === null);
    setCount(messages.filter((message) => message.state.readAt == null).length);
    replaceKeepingFocus(list, messages.length === 0 ? [h("li", { class: "empty" }, m.exerciseRun.inboxEmpty)] : messages
      .sort((a, b) => parseTime(b.state.sentAt) - parseTime(a.state.sentAt))
      .map((message) => h("li", { class: message.state.readAt == null ? "unread" : "read", "data-message": message.id },
        h("button", { type: "button", class: "row-button", onclick: () => void open(message.id) },
          message.state.readAt == null ? h("strong", { class: "unread-mark" }, `${m.exerciseRun.unread}: `) : null,
          message.state.name, " – ", message.state.from, " ", formatClock(message.state.sentAt)))));
    if (openId) renderOpened(openId, null);
  }

  async function open(id: string): Promise<void> {
    openId = id;
    opened.replaceChildren(h("p", null, m.exerciseRun.loading));
    try {
      const entries = await fetchEntityLog(store.picture, "Message", id);
      const posted = entries.find((entry) => entry.type === "MessagePosted");
      renderOpened(id, (posted?.change as { text?: string } | undefined)?.text ?? "");
    } catch {
      opened.replaceChildren(h("p", { role: "alert" }, m.exerciseRun.loadFailed));
    }
  }

  let shownText = "";
  function renderOpened(id: string, textNow: string | null): void {
    const message = store.get("Message", id);
    if (!message) return;
    if (textNow !== null) shownText = textNow;
    const status = h("p", { class: "command-status", role: "status" });
    const refused = may({ command: "ReadMessage", kind: "Message", id, district: message.state.district ?? null });
    const respond = (["reports", "resolutions", "assignments", "bodies"] as const).map((target) =>
      h("a", { href: `#${target}`, class: "respond-link" }, m.exerciseRun.respondWith[target]));
    opened.replaceChildren(
      h("h3", null, message.state.name),
      h("p", null, `${m.exerciseRun.from}: ${message.state.from} · ${m.exerciseRun.sentAt}: ${formatClock(message.state.sentAt)}`),
      h("p", { class: "message-text", "data-message-text": "" }, shownText),
      message.state.readAt != null
        ? h("p", null, m.exerciseRun.readBy(message.state.readBy ?? "", formatClock(message.state.readAt)))
        : h("button", {
          type: "button", class: "primary", disabled: refused !== null, title: refused ?? "",
          onclick: () => sendFrom(status, command(store.picture, "POST", `messages/${seg(id)}/read`, {})),
        }, m.exerciseRun.markRead),
      h("p", { class: "respond" }, `${m.exerciseRun.respond}: `, respond.flatMap((link, i) => (i === 0 ? [link] : [" · ", link]))),
      status);
  }

  return { section, render };
}

/** What has happened to one inspel, in words: queued (at its scenario time), delivered, skipped, delayed, being sent. */
function injectState(inject: Inject, run: RunRecord | undefined): string {
  const mark = run?.state.injects.find((candidate) => candidate.inject === inject.id);
  if (mark?.deliveredAt) {
    return mark.problem
      ? m.exerciseRun.deliveredProblem(mark.problem)
      : m.exerciseRun.delivered(formatClock(mark.deliveredAt), formatScenario(timeSpanMs(mark.deliveredAtScenario)));
  }
  if (mark?.skipped) return m.exerciseRun.skipped;
  if (mark?.sentByHand) return m.exerciseRun.sentByHand;
  const due = formatScenario(timeSpanMs(inject.at) + (mark?.delayMinutes ?? 0) * 60_000);
  return mark?.delayMinutes ? `${m.exerciseRun.queued(due)}, ${m.exerciseRun.delayed(mark.delayMinutes)}` : m.exerciseRun.queued(due);
}

/**
 * Exercise control's panel (övningsledning): the clock's steps, every inspel of the scenario with what has
 * happened to it and its controls, and motspel as an outside actor. Shown to those the server lets run the
 * exercise; the scenario is fetched from the server (participants never get it).
 */
export function exerciseControlPanel(store: PictureStore, may: May): { section: HTMLElement; render(): void } {
  const { section, body } = panel("exercise-control", m.exerciseRun.control);
  section.hidden = true;
  const status = h("p", { class: "command-status", role: "status", "data-control-status": "" });
  const clockButtons = h("div", { class: "exercise-buttons" });
  const scenarioList = h("ul", { class: "rows scenario-list" });
  const motspel = motspelForm(store, status);
  body.append(clockButtons, status, h("h3", null, m.exerciseRun.scenario), scenarioList, motspel);
  let injects: Inject[] | null = null;
  let asked = false;

  const send = (path: string, payload: unknown = {}, method: CommandRequest["method"] = "POST"): void =>
    sendFrom(status, command(store.picture, method, `exercise/${path}`, payload));

  async function fetchScenario(): Promise<void> {
    asked = true;
    try {
      const response = await apiFetch(`${pictureUrl(store.picture)}/scenario`, { headers: { Accept: "application/json" } });
      injects = response.ok ? ((await response.json()) as Schemas["ExerciseScenario"]).injects : [];
    } catch {
      injects = [];
    }
    render();
  }

  function render(): void {
    const refused = may({ command: "StartExercise", kind: "Exercise", id: runId, district: null });
    section.hidden = refused !== null;
    if (refused !== null) return;
    if (!asked) void fetchScenario();
    const run = store.get("Exercise", runId);
    const state = run?.state.clock.state ?? "NotStarted";
    const speed = h("select", { name: "speed", "aria-label": m.exerciseRun.speedLabel },
      Array.from({ length: 10 }, (_, i) => h("option", { value: String(i + 1), selected: (run?.state.clock.speed ?? 1) === i + 1 }, m.exerciseRun.speed(i + 1))));
    const speedValue = (): number => Number(speed.value);
    replaceKeepingFocus(clockButtons, [
      h("span", { class: "exercise-state" }, `${m.exerciseRun.clock}: `, exerciseClock(store)),
      h("label", null, `${m.exerciseRun.speedLabel} `, speed),
      state === "NotStarted" ? h("button", { type: "button", class: "primary", "data-exercise-start": "", onclick: () => send("start", { speed: speedValue() }) }, m.exerciseRun.start) : null,
      state === "Running" ? h("button", { type: "button", onclick: () => send("pause") }, m.exerciseRun.pause) : null,
      state === "Paused" ? h("button", { type: "button", class: "primary", onclick: () => send("resume") }, m.exerciseRun.resume) : null,
      state === "Running" || state === "Paused" ? h("button", { type: "button", onclick: () => send("speed", { speed: speedValue() }, "PUT") }, m.exerciseRun.changeSpeed) : null,
      state === "Running" || state === "Paused" ? h("button", { type: "button", onclick: () => send("stop") }, m.exerciseRun.stop) : null,
    ]);
    replaceKeepingFocus(scenarioList, injects === null ? [] : injects.length === 0 ? [h("li", { class: "empty" }, m.exerciseRun.noScenario)]
      : injects.map((inject) => {
        const minutes = h("input", { type: "number", min: "1", max: "1440", value: "10", name: "minutes", "aria-label": m.exerciseRun.delayMinutes, class: "minutes" });
        const mark = run?.state.injects.find((candidate) => candidate.inject === inject.id);
        const open = !mark?.deliveredAt && !mark?.skipped;
        return h("li", { "data-inject": inject.id },
          h("span", { class: "inject-head" }, `${formatScenario(timeSpanMs(inject.at))} ${inject.id} · ${m.exerciseRun.deliveries[inject.delivery]} · ${inject.from} → ${inject.to}`),
          " ", h("span", { class: "inject-state", "data-inject-state": "" }, injectState(inject, run)),
          open ? h("span", { class: "inject-buttons" },
            h("button", { type: "button", onclick: () => send("send", { inject: inject.id }) }, m.exerciseRun.send),
            h("button", { type: "button", onclick: () => send("skip", { inject: inject.id }) }, m.exerciseRun.skip),
            minutes,
            h("button", { type: "button", onclick: () => send("delay", { inject: inject.id, minutes: Number(minutes.value) }) }, m.exerciseRun.delay)) : null);
      }));
  }

  return { section, render };
}

/** Motspel: a message as a played outside actor to a desk's inkorg (PostMessage). */
function motspelForm(store: PictureStore, status: HTMLElement): HTMLFormElement {
  const kinds = (["District", "Sector", "CrisisBody"] as const).map((kind) => [kind, m.exerciseRun.toKinds[kind]] as const);
  const form = h("form", { class: "command-form motspel" },
    h("h3", null, m.exerciseRun.motspel),
    field(m.exerciseRun.motspelFrom, "from", "SOS Alarm", { required: true }),
    selectField(m.exerciseRun.motspelToKind, "kind", kinds, "District"),
    field(m.exerciseRun.motspelTo, "to", "farsta", { required: true }),
    field(m.exerciseRun.motspelText, "text", "", { required: true, multiline: true }),
    h("div", { class: "form-buttons" }, h("button", { type: "submit", class: "primary" }, m.exerciseRun.motspelSend)));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    sendFrom(status, command(store.picture, "POST", "messages", {
      id: `motspel-${newIdempotencyKey().slice(0, 18)}`,
      from: text(data, "from"),
      to: { kind: text(data, "kind"), id: text(data, "to") },
      text: text(data, "text"),
    }));
  });
  return form;
}

/** The run in the details panel (from the feed): its clock; exercise control steers it from its own panel. */
export const exerciseDetails: DetailView<"Exercise"> = {
  kindLabel: m.exerciseRun.control,
  view: (record) => [facts([[m.exerciseRun.clock, formatScenario(scenarioNow(record))]])],
  actions: () => [],
};

/** A message in the details panel (from the feed): who to whom; its text is read in the inkorg. */
export const messageDetails: DetailView<"Message"> = {
  kindLabel: m.feed.kinds.Message,
  view: (record) => [facts([
    [m.exerciseRun.from, record.state.from],
    [m.exerciseRun.to, `${m.exerciseRun.toKinds[record.state.to.kind as "District"] ?? ""} ${record.state.to.id ?? ""}`],
    [m.exerciseRun.sentAt, formatClock(record.state.sentAt)],
  ])],
  actions: () => [],
};
