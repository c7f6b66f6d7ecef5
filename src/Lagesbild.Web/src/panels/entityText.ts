import { fetchEntityLog } from "../api/http";
import type { EntityKind, LogEntry } from "../picture/protocol";
import { h } from "../ui/dom";

/**
 * A beslut's or an uppdrag's long texts live in its loggbok entries, not in the picture (so a
 * map's join stays small): fetched once when it is opened, kept per entity and sequence number.
 */
const cache = new Map<string, LogEntry[]>();

export function entityText(picture: string, kind: EntityKind, id: string, seq: number, loading: string, failed: string,
  render: (entries: LogEntry[]) => Node[]): HTMLElement {
  const key = `${kind}/${id}/${seq}`;
  const host = h("div", { class: "entity-text", "aria-live": "polite" });
  const known = cache.get(key);
  if (known) {
    host.append(...render(known));
    return host;
  }
  host.textContent = loading;
  fetchEntityLog(picture, kind, id)
    .then((entries) => {
      cache.set(key, entries);
      host.replaceChildren(...render(entries));
    })
    .catch(() => { host.textContent = failed; });
  return host;
}
