import type { EntityKind } from "../picture/protocol";

/** What the details panel shows: an entity, or the form to register a new point. */
export type Selection = { kind: EntityKind; id: string } | { kind: "NewSafetyPoint" };

/** Where the choice was made: the map, or a list/panel (then the map moves to it). */
export type SelectionOrigin = "map" | "list";

type Listener = (selection: Selection | null, origin: SelectionOrigin) => void;

let current: Selection | null = null;
const listeners: Listener[] = [];

export function select(selection: Selection | null, origin: SelectionOrigin): void {
  current = selection;
  for (const listener of listeners) listener(selection, origin);
}

export function selected(): Selection | null {
  return current;
}

export function isSelected(kind: EntityKind, id: string): boolean {
  return current !== null && current.kind === kind && "id" in current && current.id === id;
}

export function onSelect(listener: Listener): void {
  listeners.push(listener);
}
