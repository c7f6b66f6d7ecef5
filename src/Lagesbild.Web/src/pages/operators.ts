// The operators' picture: store ← live connection; store → map, panels, test hooks.
import { apiFetch, fetchLog, pictureUrl } from "../api/http";
import type { Session } from "../auth/session";
import type { SignInMode } from "../auth/signIn";
import { m } from "../i18n";
import { LiveConnection, type LiveEvents } from "../live/connection";
import { pageMoment, type StartedPicture } from "../live/earlyStart";
import { PictureMap } from "../map/pictureMap";
import type { ClientConfig, EntityKind, ExerciseAbout, LogEntry } from "../picture/protocol";
import { keepLastPicture } from "../picture/lastPicture";
import { PictureStore, type PictureChange } from "../picture/store";
import { cityBanner, cityDetails } from "../panels/city";
import { ConnectionBanner } from "../panels/connectionBanner";
import { assignmentDetails, assignmentsPanel } from "../panels/assignments";
import { attentionPanel } from "../panels/attention";
import { AttentionWatch } from "../picture/attention";
import { markAttentionBy } from "../map/points";
import { resourceMapList } from "../map/resources";
import { markReportsOverdueBy } from "../map/areas";
import { keepForOffline } from "../ui/offline";
import { crisisBodiesPanel, crisisBodyDetails } from "../panels/crisisBodies";
import { detailsPanel, type PanelContext } from "../panels/details";
import { dutyPanel, dutyRosterDetails } from "../panels/duty";
import { alertDetails, alertsPanel } from "../panels/alerts";
import { districtDetails, districtsPanel } from "../panels/districts";
import { exerciseClock, exerciseControlPanel, exerciseDetails, inboxPanel, messageDetails } from "../panels/exercise";
import { evaluationDetails, evaluationPanel } from "../panels/evaluation";
import { feedPanel } from "../panels/feed";
import { legendPanel } from "../panels/legend";
import { Permissions, type May } from "../panels/permissions";
import { reportDetails, reportsPanel, requestDetails } from "../panels/reports";
import { resolutionDetails, resolutionsPanel } from "../panels/resolutions";
import { resourceDetails, resourceRequestDetails, resourceRequestsPanel } from "../panels/resources";
import { registerAction, safetyPointDetails, safetyPointsPanel } from "../panels/safetyPoints";
import { lateReportsOnMap, sectorDetails, sectorsPanel } from "../panels/sectors";
import { ReplayPlayer } from "../replay/player";
import { replayBar } from "../replay/replayBar";
import { installTestHooks, reflectOnBody } from "../testHooks";
import { h } from "../ui/dom";
import { onScreen } from "../ui/onScreen";
import { renderAll as renderFreshness, startFreshnessTicker } from "../ui/freshness";
import { attentionMarks } from "../picture/assignments";
import { tellPictureTimeBy } from "../picture/clock";
import { onSelect, selected } from "../ui/selection";
import { formatDateTime } from "../ui/time";
import { accountBar, titlebar } from "./header";

const feedHistory = 50;
/** The kinds whose changes can raise or clear a mark the server judges: a point's attention, a late lägesrapport. */
const judgedKinds = new Set<EntityKind>(["SafetyPoint", "City", "District", "Sector", "SituationReport", "ReportRequest"]);
/** A hidden page gets no animation frames: it renders this late instead. */
const hiddenRenderMs = 250;
const hiddenLongMs = 10_000;

/**
 * Shows the live picture to someone who may see it; what they may change follows their role.
 * `started`: the live picture already under way (live/earlyStart.ts); null for a replay.
 */
/** Started first, in the same chunk: one request less before the picture (boot/inline.ts has opened its way already). */
export { startLivePicture } from "../live/earlyStart";

export function showOperatorsPage(session: Session, mode: SignInMode, config: ClientConfig, started: StartedPicture | null): void {
  const { picture, replayAt } = pageMoment();
  const isExercise = picture !== "live";
  const isReplay = replayAt !== null;

  const store = started?.store ?? new PictureStore(picture);
  const { user } = session;

  // --- Page skeleton: landmarks first, so keyboard and screen-reader users find their way.
  document.title = isExercise ? `${m.exercise} – ${m.appTitle} (${picture})` : m.appTitle;
  document.body.classList.add("operators");
  document.body.classList.toggle("exercise", isExercise);
  document.body.classList.toggle("replay", isReplay);

  // What this person may change: the server's verdicts, asked for when the picture arrives.
  const permissions = new Permissions(picture, () => scheduleRender());
  // A replay is read-only whoever watches it: every change is greyed out, saying why.
  const may: May = isReplay ? () => m.replay.readOnly : permissions.may;
  // The player's own steps (its clock, play and pause) redraw its bar; the entries it plays reach the store as deltas.
  const player = isReplay ? new ReplayPlayer(store, () => scheduleFrame()) : null;
  const replay = player ? replayBar(player, store, pageUrl({ replay: null })) : null;
  const connectionBanner = new ConnectionBanner();
  const city = cityBanner(store, may);
  // Where the person's role applies, named once the picture has arrived (a demo user's title says it already).
  const account = accountBar(session, mode, ({ district, sector }) =>
    district ? store.get("District", district)?.state.name ?? district
      : sector ? store.get("Sector", sector)?.state.name ?? sector
        : null);

  const exerciseName = h("span", { class: "exercise-name" }, m.exerciseBanner(picture));
  // The scenario time stands beside the name on every participant's page.
  const exerciseBanner = isExercise ? h("p", { class: "exercise-banner" }, exerciseName, " · ", exerciseClock(store)) : null;
  if (exerciseBanner) void showExerciseName(picture, exerciseName);

  const mapElement = h("div", { id: "map", class: "map", tabindex: "0", role: "region", "aria-label": m.map.label, "aria-describedby": "map-help" });
  const mapNotice = h("p", { class: "map-notice", role: "status" });
  // A sector or crisis body has no area to mark: a report it is late with is flagged on the map here.
  const lateOnMap = h("div", { class: "map-late-reports", "aria-live": "polite" });
  const resourceList = resourceMapList(store);

  document.body.replaceChildren(
    h("a", { class: "skip-link", href: "#panels" }, m.skipToPanels),
    h("a", { class: "skip-link", href: "#map" }, m.skipToMap),
    h("header", { class: "top" },
      replay?.element ?? h("p", { class: "replay-enter" },
        h("a", { href: pageUrl({ replay: new Date(Date.now() - 3_600_000).toISOString() }) }, m.replay.enter)),
      exerciseBanner,
      titlebar([m.appTitle, isExercise ? h("span", { class: "exercise-tag" }, ` ${m.exercise}`) : null], connectionBanner.indicator, account.element),
      connectionBanner.banner,
      city.section),
    h("main", { id: "main" },
      h("div", { class: "map-wrap", "data-exercise-label": isExercise ? m.exercise : false },
        h("h2", { class: "visually-hidden" }, m.map.heading),
        mapElement,
        h("p", { id: "map-help", class: "visually-hidden" }, m.map.help),
        resourceList.element,
        mapNotice,
        lateOnMap),
      h("div", { id: "panels", class: "panels", tabindex: "-1" })),
  );

  const map = new PictureMap(mapElement, store);
  // Marks and panel follow the server's judgement (in the next frame, with whatever else is due); a replay shows the past, which has none.
  let judged = false;
  const attention = new AttentionWatch(picture, () => {
    judged = true;
    scheduleFrame();
  });
  markAttentionBy((id) => !isReplay && attention.of(id) !== undefined);
  markReportsOverdueBy((district) => !isReplay && attention.reportOverdue(`district-${district}`) !== undefined);
  const attentionList = attentionPanel(attention, store);
  const context: PanelContext = { store, map, user, may, stepsFrom: (status) => permissions.stepsFrom(status) };
  const details = detailsPanel(context, {
    SafetyPoint: safetyPointDetails,
    District: districtDetails,
    Sector: sectorDetails,
    CrisisBody: crisisBodyDetails,
    City: cityDetails,
    Resolution: resolutionDetails,
    Assignment: assignmentDetails,
    SituationReport: reportDetails,
    ReportRequest: requestDetails,
    DutyRoster: dutyRosterDetails,
    Resource: resourceDetails,
    ResourceRequest: resourceRequestDetails,
    Alert: alertDetails,
    Exercise: exerciseDetails,
    Message: messageDetails,
    Evaluation: evaluationDetails,
  }, registerAction(context));
  const pointsPanel = safetyPointsPanel(context);
  const districts = districtsPanel(store);
  const sectors = sectorsPanel(store, (id) => !isReplay && attention.reportOverdue(`sector-${id}`) !== undefined);
  const bodies = crisisBodiesPanel(store);
  const feed = feedPanel(store);
  const assignments = assignmentsPanel(context);
  const resolutions = resolutionsPanel(context, isExercise);
  const reports = reportsPanel(context, () => permissions.reportStreams(), isExercise);
  const duty = dutyPanel(store);
  const alerts = alertsPanel(context);
  const resourceRequests = resourceRequestsPanel(context);
  const inbox = isExercise ? inboxPanel(store, may) : null;
  const exerciseControl = isExercise ? exerciseControlPanel(store, may) : null;
  const evaluation = isExercise ? evaluationPanel(store, may) : null;
  document.getElementById("panels")?.append(
    details.section, pointsPanel.section, districts.section, sectors.section, bodies.section, feed.section, legendPanel());
  // Uppdrag and beslutslogg follow the details: what needs doing is near the top on a phone.
  details.section.after(reports.section, assignments.section, resolutions.section);
  // Resource begäran beside the uppdrag: central answers them from here.
  assignments.section.before(resourceRequests.section);
  if (!isReplay) pointsPanel.section.before(attentionList.section);
  // Who is on duty stands first: at night it is whom the alerts reach.
  details.section.before(duty.section);
  // What needs me now stands above everything: on a phone at night it is the page.
  if (!isReplay) duty.section.before(alerts.section);
  // A desk's inkorg stands first in an exercise: an inspel is what the participant acts on.
  if (inbox && exerciseControl) duty.section.before(inbox.section, exerciseControl.section);
  if (exerciseControl && evaluation) exerciseControl.section.after(evaluation.section);

  // --- Rendering: at most once a frame, so a burst of deltas (a resume) renders once; a delta
  //     redraws the one row and the one symbol it concerns, anything else the whole page.
  let shownSeq = 0;
  let frame: number | undefined;
  let frameTimer: ReturnType<typeof setTimeout> | undefined;
  let everything = true;
  const changed = new Map<EntityKind, Set<string>>();
  // While a replay plays, the loggbok (some twenty entries a frame at 60×) and the points' rows are kept up to date
  // only while on screen: off screen nobody sees them change, and each frame's new entries and row texts would still
  // be made, laid out and painted. They catch up when they come on screen, and when playing stops.
  const playing = () => player?.playing === true;
  const feedOnScreen = onScreen(feed.section, () => scheduleFrame());
  const pointsOnScreen = onScreen(pointsPanel.rows, () => scheduleFrame());
  let feedBehind = false;
  const pointsBehind = new Set<string>();

  function render(): void {
    if (frame !== undefined) cancelAnimationFrame(frame);
    clearTimeout(frameTimer);
    frame = frameTimer = undefined;
    if (judged) renderJudgement();
    if (everything || !renderChanged()) renderEverything();
    catchUpOffScreen();
    everything = false;
    changed.clear();
    replay?.render();
    shownSeq = store.lastSeq;
    reflectOnBody(live.state, shownSeq);
  }

  /** The server's judgement changed: the marks on the map and the panels that show them. */
  function renderJudgement(): void {
    judged = false;
    map.refreshMarks();
    attentionList.render();
    lateReportsOnMap(lateOnMap, isReplay ? [] : attention.overdueReports());
    sectors.render();
    reports.render();
  }

  /** Renders only what the deltas since the last frame touched; false when that is not enough. */
  function renderChanged(): boolean {
    const points = changed.get("SafetyPoint");
    if (points && playing() && !pointsOnScreen()) for (const id of points) pointsBehind.add(id);
    else if (points && !pointsPanel.update(points)) return false;
    if (points) map.refreshPoints(points);
    if (changed.has("District")) {
      map.refreshAreas();
      districts.render();
      account.refresh();
    }
    if (changed.has("Sector")) sectors.render();
    if (changed.has("CrisisBody")) bodies.render();
    if (changed.has("City")) city.render();
    if (changed.has("Assignment")) {
      // An uppdrag's marks stand on its district, on the map and in the list.
      assignments.render();
      map.refreshAreas();
      districts.render();
    }
    if (changed.has("Resolution")) resolutions.render();
    // The samlad lägesbild follows every change (it asks the server again), the list its begäran and the desks' names.
    if (["ReportRequest", "SituationReport", "District", "Sector", "CrisisBody"].some((kind) => changed.has(kind as EntityKind))) reports.render();
    else reports.followPicture();
    if (changed.has("DutyRoster")) duty.render();
    // An alert's row offers the district's number and the start of central krisledning.
    if (changed.has("Alert") || changed.has("CrisisBody") || changed.has("District")) alerts.render();
    // An alert taken into the picture (or its sender's update or cancel) moves its warning area.
    if (changed.has("Alert")) map.refreshWarnings();
    if (changed.has("Resource")) {
      // A resource's symbol follows its delta: at its depot, or at the point it was delivered to.
      map.refreshResources();
      resourceList.render();
    }
    if (changed.has("ResourceRequest") || changed.has("Resource")) {
      resourceRequests.render();
      // A point's details list its begäran and the resources delivered to it.
      if (selected()?.kind === "SafetyPoint") details.refresh();
    }
    if (changed.has("Message")) inbox?.render();
    if (changed.has("Exercise")) exerciseControl?.render();
    renderFeed();
    const selection = selected();
    if (selection && "id" in selection && changed.get(selection.kind)?.has(selection.id)) details.refresh();
    return true;
  }

  function renderEverything(): void {
    map.refresh();
    account.refresh();
    city.render();
    pointsPanel.render();
    pointsBehind.clear();
    districts.render();
    sectors.render();
    bodies.render();
    renderFeed();
    assignments.render();
    resolutions.render();
    reports.render();
    duty.render();
    alerts.render();
    resourceRequests.render();
    resourceList.render();
    inbox?.render();
    exerciseControl?.render();
    evaluation?.render();
    details.refresh();
  }

  function renderFeed(): void {
    feedBehind = playing() && !feedOnScreen();
    if (!feedBehind) feed.render();
  }

  /** What a playing replay left behind off screen, once it is on screen or playing has stopped. */
  function catchUpOffScreen(): void {
    if (pointsBehind.size > 0 && (!playing() || pointsOnScreen())) {
      if (!pointsPanel.update(pointsBehind)) pointsPanel.render();
      pointsBehind.clear();
    }
    if (feedBehind) renderFeed();
  }

  /** Renders in the next frame: everything, or (`entry`) what one delta changed besides what is pending. */
  function scheduleRender(entry?: LogEntry): void {
    if (entry) {
      const ids = changed.get(entry.entity.kind) ?? new Set<string>();
      changed.set(entry.entity.kind, ids.add(entry.entity.id));
    } else {
      everything = true;
    }
    scheduleFrame();
  }

  /** Renders in the next frame what is pending (the replay bar always). */
  function scheduleFrame(): void {
    frame ??= requestAnimationFrame(render);
    frameTimer ??= setTimeout(render, hiddenRenderMs);
  }

  // --- Live connection.
  const liveEvents: LiveEvents = {
    state: (state, lastContact) => {
      connectionBanner.setState(state, lastContact);
      reflectOnBody(state, shownSeq);
    },
    joined: () => {
      connectionBanner.joined();
      keepForOffline();
    },
    refused: (message) => connectionBanner.refused(message),
    notice: (notice) => connectionBanner.notice(m.connection.notice[notice.kind] ?? notice.message),
  };
  // A replay has a connection that never starts: the test hooks and the banner read its state.
  const live = started?.live ?? new LiveConnection(store, liveEvents);

  const pictureChanged = (change: PictureChange): void => {
    connectionBanner.markCurrent();
    if (!isReplay && (change.type === "snapshot" || (change.type === "delta" && judgedKinds.has(change.entry.entity.kind)))) attention.refresh();
    // A replay's entries are the past played again: its bar tells its steps, the loggbok does not read them out.
    if (change.type === "delta" && !isReplay) feed.announce(change.entry);
    if (change.type === "snapshot" || (change.type === "delta" && permissions.affectedBy(change.entry.entity.kind, change.entry.entity.id))) {
      permissions.refreshSoon();
    }
    if (change.type === "snapshot") {
      // A snapshot has no loggbok: fetch the latest entries for the feed.
      const seq = store.lastSeq;
      fetchLog(picture, Math.max(0, seq - feedHistory), feedHistory)
        .then((entries) => store.addHistory(entries))
        .catch(() => { /* the feed then starts with live entries only */ });
    }
    scheduleRender(change.type === "delta" ? change.entry : undefined);
  };
  store.onChange(pictureChanged);

  onSelect((selection, origin) => {
    if (selection && origin === "list") map.show(selection);
    scheduleRender();
  });

  // --- Freshness, sleep and hidden tabs: show the picture's age, then catch up.
  //     Ages, staleness and deadlines are told by the picture's clock: in a replay, the replayed moment.
  if (player) tellPictureTimeBy(() => player.clock || Date.now());
  const sleptMs = 15_000;
  let deadlineMarks = attentionMarks(store);
  startFreshnessTicker((lateMs) => {
    const visible = document.visibilityState === "visible";
    if (visible && lateMs > sleptMs) wake();
    else if (visible) connectionBanner.markCurrent();
    // Time passes with no change arriving: a point turns stale, a deadline passes. Only what the clock
    // moved is redrawn (a symbol, an area, the uppdrag list); a tick that moved nothing redraws nothing.
    map.refreshMarks();
    const marks = attentionMarks(store);
    if (marks !== deadlineMarks) {
      deadlineMarks = marks;
      assignments.render();
      districts.render();
    }
  });

  let hiddenAt = 0;
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      hiddenAt = Date.now();
    } else if (Date.now() - hiddenAt > hiddenLongMs) {
      wake();
    }
  });

  let lastWake = 0;
  function wake(): void {
    // Becoming visible after sleeping trips both the ticker and visibilitychange: catch up once.
    if (isReplay || Date.now() - lastWake < 5000) return;
    lastWake = Date.now();
    connectionBanner.woke();
    renderFreshness();
    live.catchUp();
  }

  installTestHooks("operators", user, { shownSeq: () => shownSeq, connection: () => live.state, map });
  reflectOnBody(live.state, 0);

  // The picture that arrived before the page was there (the one the device kept, or the server's) is taken as arriving now.
  if (store.hasSnapshot) pictureChanged({ type: "snapshot" });
  // A replay shows another moment: it neither starts from nor replaces the kept picture.
  if (started?.last) connectionBanner.startedFrom(new Date(started.last.savedAt));
  if (!isReplay) keepLastPicture(store, user, () => live.state === "connected");

  map.useConfig(config);
  void map.loadAreas(user.district).then((failed) => {
    mapNotice.textContent = failed.map((what) => m.map.loadFailed(what)).join(" ");
    render();
  });
  if (player) player.start(replayAt).catch(() => { mapNotice.textContent = m.replay.failed; });
  started?.attach(liveEvents);
  render();
}

/** The exercise's name as given when it was created, in its banner and the window's title. */
async function showExerciseName(picture: string, banner: HTMLElement): Promise<void> {
  try {
    const response = await apiFetch(`${pictureUrl(picture)}/about`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const about = (await response.json()) as ExerciseAbout;
    if (!about.name) return;
    banner.textContent = about.startsAt
      ? `${m.exerciseBanner(about.name)}, ${m.exerciseStartsAt(formatDateTime(about.startsAt))}`
      : m.exerciseBanner(about.name);
    // Who is invited and where the picture started from, for whoever wonders.
    const invited = (about.participants ?? []).map((p) => p.name ?? p.district ?? p.sector ?? m.account.roles[p.role ?? ""] ?? p.role);
    banner.title = [
      about.description,
      invited.length > 0 ? m.exerciseParticipants(invited.join(", ")) : null,
      about.startedFrom?.kind === "File" ? m.exerciseFromFile(about.startedFrom.fromPicture ?? "?") : null,
    ].filter((line) => line).join("\n");
    document.title = `${m.exercise} – ${about.name} – ${m.appTitle}`;
  } catch {
    // The banner keeps the exercise's id: ÖVNING stands there either way.
  }
}

/** This page's address with some query parameters set (or, for null, removed). */
function pageUrl(changes: Record<string, string | null>): string {
  const url = new URL(location.href);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) url.searchParams.delete(name);
    else url.searchParams.set(name, value);
  }
  return url.toString();
}
