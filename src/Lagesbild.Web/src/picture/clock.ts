/**
 * The moment the picture on screen stands at: now, or in a replay the replayed moment. Ages
 * ("uppdaterad för 3 min sedan"), staleness and an uppdrag's deadline mark are told by it, so a
 * replay shows them as they were then, and they move with the replay's clock, not the wall's.
 */
let now: () => number = () => Date.now();

export function pictureNow(): number {
  return now();
}

/** Tells the picture's time by `clock` from here on (a replay's). */
export function tellPictureTimeBy(clock: () => number): void {
  now = clock;
}
