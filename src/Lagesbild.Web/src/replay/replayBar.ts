import { m } from "../i18n";
import type { PictureStore } from "../picture/store";
import { h, setText } from "../ui/dom";
import { replaySpeeds, type ReplayPlayer } from "./player";

/**
 * The replay's controls, under a mark no one can miss: the moment shown, a time slider and a
 * time to jump to, and play to a time at a chosen speed. The link back leads to the live picture.
 */
export function replayBar(player: ReplayPlayer, store: PictureStore, livePictureUrl: string): { element: HTMLElement; render(): void } {
  // The moment shown changes every frame while playing: it is read where it stands, not announced. What a
  // screen reader is told is the replay's steps (shown, playing, paused, ended), through a status of its own.
  const moment = h("p", { class: "replay-moment" });
  const announcement = h("p", { class: "visually-hidden", role: "status" });
  const slider = h("input", { type: "range", id: "replay-slider", min: 0, max: 0, step: 1000, "aria-label": m.replay.slider,
    onchange: () => void player.jump(Number(slider.value)) });
  const jumpTo = h("input", { type: "datetime-local", id: "replay-at", step: 1 });
  const until = h("input", { type: "datetime-local", id: "replay-until", step: 1 });
  const speed = h("select", { id: "replay-speed" },
    replaySpeeds.map((s) => h("option", { value: s, selected: s === 10 }, m.replay.speedValue(s))));
  const playButton = h("button", { type: "button", class: "replay-play", onclick: () => {
    if (player.playing) player.pause();
    else player.play(Number(speed.value), fromLocal(until.value) ?? player.lastMs());
  } });

  const element = h("section", { class: "replay-bar", "aria-label": m.replay.label },
    h("strong", { class: "replay-mark" }, m.replay.mark),
    moment,
    announcement,
    h("div", { class: "replay-controls" },
      slider,
      h("form", { class: "replay-jump", onsubmit: (event: Event) => {
        event.preventDefault();
        const at = fromLocal(jumpTo.value);
        if (at !== null) void player.jump(at);
      } },
        h("label", { for: "replay-at" }, m.replay.jumpTo), jumpTo, h("button", { type: "submit" }, m.replay.jump)),
      h("div", { class: "replay-playback" },
        h("label", { for: "replay-until" }, m.replay.until), until,
        h("label", { for: "replay-speed" }, m.replay.speed), speed,
        playButton),
      h("a", { href: livePictureUrl, class: "replay-exit" }, m.replay.backToLive)));

  let spanShown = false;
  let wasPlaying = false;
  let announced = "";
  /** Tells the replay's step once: playing from a moment, or what is shown when it stands still (a jump, a pause, the end). */
  function announce(): void {
    if (!player.span) return;
    const at = new Date(player.clock);
    if (player.playing) {
      if (!wasPlaying) setText(announcement, m.replay.playing(Number(speed.value), at));
    } else {
      const still = wasPlaying ? (player.reachedEnd ? m.replay.ended(at, store.lastSeq) : m.replay.paused(at, store.lastSeq)) : m.replay.showing(at, store.lastSeq);
      const shown = `${player.clock}|${store.lastSeq}`;
      if (wasPlaying || shown !== announced) setText(announcement, still);
      announced = shown;
    }
    wasPlaying = player.playing;
  }

  function render(): void {
    if (!spanShown && player.span) {
      spanShown = true;
      slider.min = String(player.firstMs());
      slider.max = String(player.lastMs());
      // The field shows whole seconds: rounded up, so that playing "to the end" reaches the last entry.
      until.value = toLocal(Math.ceil(player.lastMs() / 1000) * 1000);
    }
    // Called every frame while playing: what did not change is not set again (the button's words). The time to jump
    // to takes the moment shown once playing stops; while it plays, the moment's words and the slider tell the time,
    // and the field (a row of fields of its own inside) would otherwise be laid out again every frame.
    if (document.activeElement !== slider) slider.value = String(player.clock);
    if (!player.playing && document.activeElement !== jumpTo) {
      const local = toLocal(player.clock);
      if (jumpTo.value !== local) jumpTo.value = local;
    }
    setText(moment, m.replay.showing(new Date(player.clock), store.lastSeq));
    setText(playButton, player.playing ? m.replay.pause : m.replay.play);
    announce();
  }
  render();
  return { element, render };
}

/** A datetime-local value (the browser's time zone) as ms since the epoch; null when empty or unreadable. */
function fromLocal(value: string): number | null {
  const ms = value ? new Date(value).getTime() : NaN;
  return Number.isNaN(ms) ? null : ms;
}

function toLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
