/**
 * Whether an element is on screen (any part of it, inside its scrolling panel and the window), as an
 * IntersectionObserver tells it after each frame; `came` is called when it comes on screen. Until the first
 * answer it counts as on screen, so nothing waits for the observer.
 */
export function onScreen(element: Element, came: () => void): () => boolean {
  let visible = true;
  new IntersectionObserver((entries) => {
    const now = entries[entries.length - 1]?.isIntersecting ?? visible;
    const arrived = now && !visible;
    visible = now;
    if (arrived) came();
  }).observe(element);
  return () => visible;
}
