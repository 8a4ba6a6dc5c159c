/**
 * Sign-in through the Office dialog API, for hosts where NAA is missing or the MSAL popup is
 * blocked. Opens `dialog.html` (same origin), which runs MSAL's redirect flow and sends back
 * `{ ok: true, accessToken }` or `{ ok: false, code }` with `messageParent`. The token travels only
 * through Office's parent/dialog channel, never through a URL.
 */
import { z } from "zod";
import { AppError } from "../../core/errors";

const messageSchema = z.union([
  z.object({ ok: z.literal(true), accessToken: z.string().min(1) }),
  z.object({ ok: z.literal(false), code: z.string() }),
]);

/** `dialogUrl` e.g. https://addin.example.com/dialog.html; scopes go in the query (never tokens). */
export function createOfficeDialogFallback(dialogUrl: string) {
  return (scopes: string[], claims?: string): Promise<string> =>
    new Promise<string>((resolve, reject) => {
      if (
        typeof Office === "undefined" ||
        !Office.context?.requirements?.isSetSupported("DialogApi", "1.1")
      ) {
        reject(new AppError("office-unsupported", "The Office dialog API is not available"));
        return;
      }
      const url = new URL(dialogUrl);
      url.searchParams.set("scopes", scopes.join(" "));
      if (claims) url.searchParams.set("claims", claims);
      Office.context.ui.displayDialogAsync(url.toString(), { height: 60, width: 30 }, (opened) => {
        if (opened.status !== Office.AsyncResultStatus.Succeeded) {
          reject(
            new AppError("popup-blocked", "The sign-in dialog could not be opened", {
              details: { code: opened.error.code },
            }),
          );
          return;
        }
        const dialog = opened.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (event) => {
          dialog.close();
          const raw = "message" in event ? event.message : "";
          let json: unknown;
          try {
            json = JSON.parse(raw);
          } catch (cause) {
            reject(new AppError("sign-in-failed", "Unreadable answer from the sign-in dialog", { cause }));
            return;
          }
          const parsed = messageSchema.safeParse(json);
          if (!parsed.success)
            reject(new AppError("sign-in-failed", "Unexpected answer from the sign-in dialog"));
          else if (parsed.data.ok) resolve(parsed.data.accessToken);
          else
            reject(
              new AppError("sign-in-failed", "Sign-in failed in the dialog", {
                details: { code: parsed.data.code },
              }),
            );
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () => {
          reject(new AppError("interaction-required", "The sign-in dialog was closed"));
        });
      });
    });
}
