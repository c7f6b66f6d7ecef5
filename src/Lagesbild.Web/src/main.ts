// The page, wired: who is signed in decides what is shown — the sign-in screen, the public
// view of open trygghetspunkter, or the operators' live picture (pages/).
import { fetchConfig } from "./api/http";
import { takeSignedOutNotice, type Session } from "./auth/session";
import { resumeSession, signInMode } from "./auth/signIn";
import { lang, m } from "./i18n";
import { seesOperatorsPicture } from "./picture/access";
import { showPublicPage } from "./pages/public";
import { showSignInPage, type SignInNotice } from "./pages/signIn";
import { keepForOffline } from "./ui/offline";

document.documentElement.lang = lang;
void start();

async function start(): Promise<void> {
  // The public view needs no sign-in at all.
  if (new URLSearchParams(location.search).get("view") === "public") {
    showPublicPage(null);
    keepForOffline();
    return;
  }
  // The operators' page (the map, the panels, the live connection) is a chunk of its own, fetched while the page
  // asks who is signed in. The sign-in, the snapshot and the WebSocket the boot script in the page started
  // already (boot/inline.ts): the connection takes them over when it starts.
  const operatorsPage = import("./pages/operators");
  const config = await fetchConfig();
  const mode = await signInMode(config);
  const show = (session: Session): void => {
    if (seesOperatorsPicture(session.user.role)) {
      // The connection opens its WebSocket in the task it starts in; the page is built after it (a long task), not before.
      void operatorsPage.then(async ({ showOperatorsPage, startLivePicture }) =>
        showOperatorsPage(session, mode, config, await nextTask(startLivePicture(session.user))));
    }
    else {
      showPublicPage({ session, mode });
      keepForOffline();
    }
  };
  let resumed: Session | null;
  try {
    resumed = await resumeSession(mode);
  } catch (error) {
    showSignInPage(mode, { kind: "error", text: error instanceof Error ? error.message : String(error) }, show);
    return;
  }
  if (resumed) show(resumed);
  else showSignInPage(mode, signedOutNotice(), show);
}

function signedOutNotice(): SignInNotice | null {
  switch (takeSignedOutNotice()) {
    case "expired": return { kind: "info", text: m.signIn.expired };
    case "signed-out": return { kind: "info", text: m.signIn.signedOut };
    default: return null;
  }
}

/** Resolves with `value` in a later task, once what is queued now has run. */
function nextTask<T>(value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), 0));
}
