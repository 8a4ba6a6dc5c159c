/**
 * The Office dialog fallback against a fake `Office.context.ui` that keeps Office's documented
 * rules: one dialog per pane (a second displayDialogAsync fails with 12007, also right after
 * close() until Office has torn the dialog down), answers via DialogMessageReceived, the user
 * closing the window via DialogEventReceived 12006.
 */
import { createOfficeDialogFallback } from "../../../src/adapters/auth/office-dialog-fallback";
import { AppError } from "../../../src/core/errors";

type Handler = (arg: unknown) => void;
interface FakeDialog {
  url: string;
  handlers: Record<string, Handler>;
  closed: boolean;
  /** The dialog page answers (what dialog.html sends with messageParent). */
  answer(message: unknown): void;
  /** The user closes the dialog window. */
  closeByUser(): void;
}

const NOW = 1_800_000_000_000;
const GRAPH = ["https://graph.microsoft.com/Contacts.ReadWrite"];
const CRM = ["api://crm/Contacts.ReadWrite"];
const URL_ = "https://addin.contoso.example/dialog.html";

function installFakeOffice(options: { busyAfterClose?: number } = {}) {
  const opened: FakeDialog[] = [];
  let open: FakeDialog | null = null;
  let busyAfterClose = 0;
  const calls: string[] = [];
  const ui = {
    displayDialogAsync(url: string, _options: unknown, callback: (result: unknown) => void) {
      calls.push(url);
      if (open || busyAfterClose > 0) {
        if (!open) busyAfterClose--;
        callback({ status: "failed", error: { code: 12007, message: "A dialog box is already opened" } });
        return;
      }
      const dialog: FakeDialog = {
        url,
        handlers: {},
        closed: false,
        answer: (message) =>
          dialog.handlers.dialogMessageReceived?.({
            message: JSON.stringify(message),
            origin: new URL(url).origin,
          }),
        closeByUser: () => dialog.handlers.dialogEventReceived?.({ error: 12006 }),
      };
      opened.push(dialog);
      open = dialog;
      queueMicrotask(() =>
        callback({
          status: "succeeded",
          value: {
            addEventHandler: (type: string, handler: Handler) => (dialog.handlers[type] = handler),
            close: () => {
              dialog.closed = true;
              open = null;
              busyAfterClose = options.busyAfterClose ?? 0;
            },
          },
        }),
      );
    },
  };
  (globalThis as { Office?: unknown }).Office = {
    AsyncResultStatus: { Succeeded: "succeeded", Failed: "failed" },
    EventType: { DialogMessageReceived: "dialogMessageReceived", DialogEventReceived: "dialogEventReceived" },
    context: { ui, requirements: { isSetSupported: (name: string) => name === "DialogApi" } },
  };
  return { opened, calls, current: () => open };
}

/** Lets queued promises and microtasks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

describe("Office dialog fallback", () => {
  it("opens one dialog for 5 concurrent token requests and hands all of them its token", async () => {
    const office = installFakeOffice();
    const signIn = createOfficeDialogFallback(URL_, { now: () => NOW, wait: async () => undefined });
    const requests = Array.from({ length: 5 }, () => signIn(GRAPH));
    await settle();
    expect(office.opened).toHaveLength(1);
    office.opened[0]?.answer({ ok: true, accessToken: "graph-token", expiresOn: NOW + 3_600_000 });
    await expect(Promise.all(requests)).resolves.toEqual(Array(5).fill("graph-token"));
    expect(office.opened).toHaveLength(1);
    expect(office.calls).toHaveLength(1);
    expect(office.opened[0]?.closed).toBe(true);
  });

  it("opens no dialog for a second request before the token expires, and one after", async () => {
    const office = installFakeOffice();
    let now = NOW;
    const signIn = createOfficeDialogFallback(URL_, { now: () => now, wait: async () => undefined });
    const first = signIn(GRAPH);
    await settle();
    office.opened[0]?.answer({ ok: true, accessToken: "t1", expiresOn: NOW + 3_600_000 });
    await expect(first).resolves.toBe("t1");
    now = NOW + 30 * 60_000;
    await expect(signIn(GRAPH)).resolves.toBe("t1");
    expect(office.opened).toHaveLength(1);
    now = NOW + 58 * 60_000; // within the 5-minute skew before expiry
    const third = signIn(GRAPH);
    await settle();
    expect(office.opened).toHaveLength(2);
    office.opened[1]?.answer({ ok: true, accessToken: "t2", expiresOn: now + 3_600_000 });
    await expect(third).resolves.toBe("t2");
  });

  it("keeps tokens per resource: the CRM token needs its own dialog", async () => {
    const office = installFakeOffice();
    const signIn = createOfficeDialogFallback(URL_, { now: () => NOW, wait: async () => undefined });
    const graph = signIn(GRAPH);
    const crm = signIn(CRM);
    await settle();
    office.opened[0]?.answer({ ok: true, accessToken: "g", expiresOn: NOW + 3_600_000 });
    await settle();
    await settle();
    expect(new URL(office.opened[1]?.url ?? "").searchParams.get("scopes")).toBe(CRM[0]);
    office.opened[1]?.answer({ ok: true, accessToken: "c", expiresOn: NOW + 3_600_000 });
    await expect(Promise.all([graph, crm])).resolves.toEqual(["g", "c"]);
  });

  it("retries when Office still reports 12007 right after the previous dialog closed", async () => {
    const office = installFakeOffice({ busyAfterClose: 2 });
    const waits: number[] = [];
    const signIn = createOfficeDialogFallback(URL_, {
      now: () => NOW,
      wait: async (ms) => void waits.push(ms),
    });
    const first = signIn(GRAPH);
    await settle();
    office.opened[0]?.answer({ ok: true, accessToken: "g", expiresOn: NOW + 3_600_000 });
    await first;
    const crm = signIn(CRM);
    for (let i = 0; i < 6; i++) await settle();
    expect(office.calls).toHaveLength(4); // 1 + two refused with 12007 + the one that opened
    expect(waits).toHaveLength(2);
    office.opened[1]?.answer({ ok: true, accessToken: "c", expiresOn: NOW + 3_600_000 });
    await expect(crm).resolves.toBe("c");
  });

  it("gives up with a clear error when 12007 persists", async () => {
    const office = installFakeOffice({ busyAfterClose: 99 });
    const signIn = createOfficeDialogFallback(URL_, {
      now: () => NOW,
      wait: async () => undefined,
      maxOpenAttempts: 3,
    });
    const first = signIn(GRAPH);
    await settle();
    office.opened[0]?.answer({ ok: true, accessToken: "g" }); // no expiresOn: not kept
    await first;
    const error = await signIn(GRAPH).catch((e: unknown) => e);
    expect(AppError.is(error, "sign-in-failed")).toBe(true);
    expect((error as AppError).details).toEqual({ code: 12007 });
    expect(office.calls).toHaveLength(4); // the first dialog + 3 attempts refused with 12007
  });

  it("reports a user closing the dialog as a cancelled sign-in, and the next request opens a new one", async () => {
    const office = installFakeOffice();
    const signIn = createOfficeDialogFallback(URL_, { now: () => NOW, wait: async () => undefined });
    const first = signIn(GRAPH);
    await settle();
    office.opened[0]?.closeByUser();
    const error = await first.catch((e: unknown) => e);
    expect(AppError.is(error, "sign-in-cancelled")).toBe(true);
    const second = signIn(GRAPH);
    await settle();
    expect(office.opened).toHaveLength(2);
    office.opened[1]?.answer({ ok: false, code: "user_cancelled" });
    await expect(second).rejects.toMatchObject({ code: "sign-in-cancelled" });
  });

  it("asks for a fresh token when a claims challenge comes, and passes the claims to the dialog", async () => {
    const office = installFakeOffice();
    const signIn = createOfficeDialogFallback(URL_, { now: () => NOW, wait: async () => undefined });
    const first = signIn(GRAPH);
    await settle();
    office.opened[0]?.answer({ ok: true, accessToken: "old", expiresOn: NOW + 3_600_000 });
    await first;
    const claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}';
    const fresh = signIn(GRAPH, claims);
    await settle();
    expect(new URL(office.opened[1]?.url ?? "").searchParams.get("claims")).toBe(claims);
    office.opened[1]?.answer({ ok: true, accessToken: "new", expiresOn: NOW + 3_600_000 });
    await expect(fresh).resolves.toBe("new");
    await expect(signIn(GRAPH)).resolves.toBe("new");
  });

  it("ignores messages from another origin and never puts a token in the URL", async () => {
    const office = installFakeOffice();
    const signIn = createOfficeDialogFallback(URL_, { now: () => NOW, wait: async () => undefined });
    const pending = signIn(GRAPH);
    await settle();
    const dialog = office.opened[0];
    dialog?.handlers.dialogMessageReceived?.({
      message: JSON.stringify({ ok: true, accessToken: "evil", expiresOn: NOW + 3_600_000 }),
      origin: "https://evil.example",
    });
    dialog?.answer({ ok: true, accessToken: "good", expiresOn: NOW + 3_600_000 });
    await expect(pending).resolves.toBe("good");
    expect(office.calls.join(" ")).not.toMatch(/good|evil/);
  });
});
