// The page's service worker: the page and its own files from the copy kept here, so the page opens
// at once on a weak link and with no network shows the last picture (kept by the page itself,
// picture/lastPicture.ts); the copy is brought up to date behind it for the next visit. Answers with
// a person's data (the API, the live connection) are never kept here.
const cacheName = "lagesbild-page";
const versioned = /-[A-Z0-9]{8}\.(js|css)$/;
const shell = new Set(["/api/config", "/icon.svg", "/manifest.webmanifest"]);

// What the page needs to open at all; its versioned scripts are kept as they are fetched (and the browser's cache keeps them for a year).
const start = ["/", "/api/config", "/icon.svg", "/manifest.webmanifest", "/maps/districts.geojson", "/maps/water.geojson"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(cacheName).then((cache) => cache.addAll(start)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (versioned.test(url.pathname)) event.respondWith(cacheFirst(request));
  else if (request.mode === "navigate" || shell.has(url.pathname) || url.pathname.startsWith("/maps/")) event.respondWith(keptThenRefreshed(event));
});

// A versioned file never changes: once here, it is the answer.
async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// The page, its settings and the map are answered from the copy kept here when there is one, and
// fetched anew behind it for the next visit: on a weak link each round trip costs half a second. A
// page older than the server's by one visit still works: the versioned files it names are kept here.
// The page is kept under its path alone (?user=, ?picture= name no other file), but for the residents'
// public view, which the server answers with a page of its own (public.html: no operators' script named).
async function keptThenRefreshed(event) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  const key = new URL(request.url);
  key.search = request.mode === "navigate" && key.searchParams.get("view") === "public" ? "?view=public" : "";
  const kept = await cache.match(key.href);
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(key.href, response.clone());
    return response;
  });
  if (!kept) return fresh;
  event.waitUntil(fresh.catch(() => undefined));
  return kept;
}

// An alert pushed by Lagesbild's outbox (web push, when the person allowed it): shown as a notification; a tap
// opens (or brings forward) the page at the alert. The payload carries no more than the e-mail does.
self.addEventListener("push", (event) => {
  let alert = {};
  try {
    alert = event.data ? event.data.json() : {};
  } catch {
    alert = { title: event.data ? event.data.text() : "Lagesbild" };
  }
  event.waitUntil(self.registration.showNotification(alert.title || "Lagesbild", {
    body: alert.body || "",
    tag: alert.tag,
    renotify: true,
    requireInteraction: true,
    icon: "/icon.svg",
    data: { url: alert.url || "/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = new URL(event.notification.data?.url || "/", self.location.origin);
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).origin === url.origin);
    return open ? open.focus() : self.clients.openWindow(url.href);
  }));
});
