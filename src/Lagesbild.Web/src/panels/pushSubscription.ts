import { apiFetch } from "../api/http";
import { m } from "../i18n";
import { h } from "../ui/dom";

/**
 * Alerts as web push, when the person allows it: a button that asks the browser for permission, subscribes with
 * the city's VAPID key and hands the subscription to the server (POST /api/push-subscriptions); the same button
 * turns it off again. Shown only where the browser can push and the city has web push on (the key's answer says `enabled`).
 * The service worker (static/sw.js) shows the notification; the page's own notice stays as it is.
 */
export function pushSubscriptionButton(): HTMLElement {
  const failure = h("p", { class: "refused", hidden: true });
  const button = h("button", { type: "button", class: "small", "data-push": "off", hidden: true });
  const box = h("p", { class: "alert-push" }, button, failure);
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return box;
  void (async () => {
    const answer = await apiFetch("/api/push-subscriptions/key", { headers: { Accept: "application/json" } }).catch(() => null);
    if (!answer?.ok) return;
    const { enabled, publicKey } = (await answer.json()) as { enabled: boolean; publicKey: string | null };
    if (!enabled || !publicKey) return;
    const registration = await navigator.serviceWorker.register("/sw.js");
    let subscription = await registration.pushManager.getSubscription();
    const show = (): void => {
      button.textContent = subscription ? m.alert.pushOff : m.alert.pushOn;
      button.dataset.push = subscription ? "on" : "off";
      button.hidden = false;
    };
    button.onclick = async () => {
      button.disabled = true;
      failure.hidden = true;
      try {
        if (subscription) {
          const endpoint = subscription.endpoint;
          await subscription.unsubscribe();
          await apiFetch("/api/push-subscriptions", { method: "DELETE", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ endpoint }) });
          subscription = null;
        } else if (await Notification.requestPermission() !== "granted") {
          failure.textContent = m.alert.pushDenied;
          failure.hidden = false;
        } else {
          subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) });
          const saved = await apiFetch("/api/push-subscriptions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(subscription.toJSON()) });
          if (!saved.ok) throw new Error(((await saved.json().catch(() => ({}))) as { detail?: string }).detail ?? `HTTP ${saved.status}`);
        }
      } catch (error) {
        failure.textContent = m.alert.pushFailed(error instanceof Error ? error.message : String(error));
        failure.hidden = false;
      } finally {
        button.disabled = false;
        show();
      }
    };
    show();
  })();
  return box;
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}
