/**
 * Sign-in through the Office dialog API, for hosts without nested app authentication (older
 * Windows builds, Mac before 16.89, Outlook.com mailboxes: NestedAppAuth requirement-set table)
 * or where the MSAL popup is blocked. Opens `dialog.html` (same origin), which runs MSAL there and
 * answers `{ ok: true, accessToken, expiresOn }` or `{ ok: false, code }` with `messageParent`.
 *
 * As Microsoft's dialog docs and NAA sample require:
 * - one dialog at a time per pane (a second `displayDialogAsync` fails with 12007): requests wait
 *   in a queue, and a 12007 (also seen right after `close()`) is retried after a short pause;
 * - the dialog is a separate browser instance: the pane keeps the token it is handed, per scope
 *   set, until shortly before it expires, so further requests open no dialog at all;
 * - the token travels only through Office's parent/dialog channel, never through a URL.
 *
 * @example
 *   const signIn = createOfficeDialogFallback("https://addin.contoso.com/dialog.html");
 *   await signIn(["https://graph.microsoft.com/Contacts.ReadWrite"]); // "eyJ0..."
 */
import { z } from "zod";
import { AppError } from "../../core/errors";

const messageSchema = z.union([
  z.object({ ok: z.literal(true), accessToken: z.string().min(1), expiresOn: z.number().optional() }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);

/** Office dialog error codes (docs: dialog-handle-errors-events). */
const ALREADY_OPEN = 12007;
const USER_IGNORED = 12009;
const CLOSED_BY_USER = 12006;
/** Codes the dialog page reports when the user cancelled (MSAL 5 BrowserAuthError / ClientAuthError). */
const CANCELLED_CODES = new Set(["user_cancelled", "user_canceled"]);
/** A token is reused until this long before its expiry. */
const EXPIRY_SKEW_MS = 5 * 60_000;

export interface DialogFallbackOptions {
  /** Clock (default Date.now). */
  now?: () => number;
  /** Pause before retrying after 12007 (default: setTimeout). */
  wait?: (ms: number) => Promise<void>;
  /** How often to try opening when Office answers 12007 (default 5). */
  maxOpenAttempts?: number;
}

type Opened = { ok: true; dialog: Office.Dialog } | { ok: false; code: number };

function dialogApiAvailable(): boolean {
  return (
    typeof Office !== "undefined" && Office.context?.requirements?.isSetSupported("DialogApi", "1.1") === true
  );
}

function openDialog(url: string): Promise<Opened> {
  return new Promise<Opened>((resolve) => {
    Office.context.ui.displayDialogAsync(url, { height: 60, width: 30 }, (result) => {
      if (result.status === Office.AsyncResultStatus.Succeeded) resolve({ ok: true, dialog: result.value });
      else resolve({ ok: false, code: result.error?.code ?? 0 });
    });
  });
}

/** Waits for the dialog's answer (or its closing) and closes it. Resolves token + expiry. */
function answerOf(
  dialog: Office.Dialog,
  expectedOrigin: string,
): Promise<{ token: string; expiresOn?: number }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      dialog.close();
      outcome();
    };
    dialog.addEventHandler(Office.EventType.DialogMessageReceived, (event) => {
      const arg = event as { message?: string; origin?: string };
      // Office passes the sender's origin where it knows it: accept only our own dialog page.
      if (arg.origin !== undefined && arg.origin !== expectedOrigin) return;
      let json: unknown;
      try {
        json = JSON.parse(arg.message ?? "");
      } catch (cause) {
        finish(() =>
          reject(new AppError("sign-in-failed", "Unreadable answer from the sign-in dialog", { cause })),
        );
        return;
      }
      const parsed = messageSchema.safeParse(json);
      if (!parsed.success)
        finish(() => reject(new AppError("sign-in-failed", "Unexpected answer from the sign-in dialog")));
      else if (parsed.data.ok) {
        const { accessToken, expiresOn } = parsed.data;
        finish(() => resolve({ token: accessToken, expiresOn }));
      } else if (CANCELLED_CODES.has(parsed.data.code))
        finish(() => reject(new AppError("sign-in-cancelled", "Sign-in was cancelled in the dialog")));
      else {
        const code = parsed.data.code;
        finish(() =>
          reject(new AppError("sign-in-failed", "Sign-in failed in the dialog", { details: { code } })),
        );
      }
    });
    dialog.addEventHandler(Office.EventType.DialogEventReceived, (event) => {
      const code = (event as { error?: number }).error;
      finish(() =>
        reject(
          code === CLOSED_BY_USER
            ? new AppError("sign-in-cancelled", "The sign-in dialog was closed")
            : new AppError("sign-in-failed", "The sign-in dialog failed", { details: { code } }),
        ),
      );
    });
  });
}

/** `dialogUrl` e.g. https://addin.example.com/dialog.html; scopes go in the query (never tokens). */
export function createOfficeDialogFallback(dialogUrl: string, options: DialogFallbackOptions = {}) {
  const now = options.now ?? Date.now;
  const wait = options.wait ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxOpenAttempts = options.maxOpenAttempts ?? 5;
  const cache = new Map<string, { token: string; expiresOn: number }>();
  let queue: Promise<unknown> = Promise.resolve();

  const cached = (key: string): string | undefined => {
    const entry = cache.get(key);
    if (entry && entry.expiresOn - EXPIRY_SKEW_MS > now()) return entry.token;
    cache.delete(key);
    return undefined;
  };

  const signIn = async (scopes: string[], claims: string | undefined): Promise<string> => {
    const key = [...scopes].sort().join(" ");
    // Checked again inside the queue: a request that waited usually finds its token here.
    const hit = claims ? undefined : cached(key);
    if (hit) return hit;
    if (!dialogApiAvailable())
      throw new AppError("office-unsupported", "The Office dialog API is not available");
    const url = new URL(dialogUrl);
    url.searchParams.set("scopes", scopes.join(" "));
    if (claims) url.searchParams.set("claims", claims);
    for (let attempt = 1; ; attempt++) {
      const opened = await openDialog(url.toString());
      if (opened.ok) {
        const answer = await answerOf(opened.dialog, url.origin);
        if (answer.expiresOn !== undefined)
          cache.set(key, { token: answer.token, expiresOn: answer.expiresOn });
        return answer.token;
      }
      if (opened.code === ALREADY_OPEN && attempt < maxOpenAttempts) {
        await wait(300 * attempt);
        continue;
      }
      throw opened.code === USER_IGNORED
        ? new AppError("popup-blocked", "The sign-in dialog was not allowed to open", {
            details: { code: opened.code },
          })
        : new AppError("sign-in-failed", "The sign-in dialog could not be opened", {
            details: { code: opened.code },
          });
    }
  };

  return (scopes: string[], claims?: string): Promise<string> => {
    const run = queue.then(() => signIn(scopes, claims));
    queue = run.catch((error: unknown) => {
      void error; // the caller gets the error; the queue only needs to move on
    });
    return run;
  };
}
