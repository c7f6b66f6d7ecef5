/**
 * Makes the page installable and able to open with no network (static/sw.js). Asked for once the page
 * shows what it is for: the service worker's first fetches would otherwise share a weak link with the
 * page's own, on the way to the live picture.
 */
export function keepForOffline(): void {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("/sw.js").catch(() => { /* the page works without it */ });
}
