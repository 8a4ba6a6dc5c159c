import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { readSyncLog } from "../../../src/app/sync-log";
import { runSync } from "../../../src/app/sync-runner";
import { SyncLogView } from "../../../src/taskpane/sync/SyncLogView";
import { SyncOnOpen } from "../../../src/taskpane/sync/SyncOnOpen";
import { renderWithServices } from "./render-with-services";

describe("SyncLogView", () => {
  test("shows an empty log, runs 'Sync now' and lists the run with its counts", async () => {
    const user = userEvent.setup();
    const { crm, contacts, contactIds } = await renderWithServices(<SyncLogView />, { linked: 3 });
    expect(await screen.findByText("No sync has run yet on this device.")).toBeInTheDocument();
    crm.editPerson("cp-1", { jobTitle: "Head of purchasing" });
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    expect(await screen.findByText(/1 to Outlook, 0 to CRM, 0 conflicts/)).toBeInTheDocument();
    // The runs are one named group, each run a button that expands its details.
    const runs = screen.getByRole("group", { name: "Sync runs" });
    expect(within(runs).getAllByRole("button")).toHaveLength(1);
    expect(contacts.contact(contactIds[1] ?? "")?.jobTitle).toBe("Head of purchasing");
    expect(contacts.calls.updateContacts).toBe(1);
  });

  test("expands a run to show each conflict with both values and the winner", async () => {
    const user = userEvent.setup();
    const { crm, contacts, contactIds } = await renderWithServices(<SyncLogView />, {
      linked: 2,
      storedSettings: {
        userSettings: { fieldDirections: { organisation: "two-way" }, conflictRule: "outlook-wins" },
      },
    });
    await screen.findByText("No sync has run yet on this device.");
    crm.editPerson("cp-0", { jobTitle: "CRM title" });
    contacts.userEdit(contactIds[0] ?? "", { jobTitle: "Outlook title" });
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    const header = await screen.findByRole("button", { name: /Sync now.*1 conflicts/s });
    await user.click(header);
    const table = await screen.findByRole("table", { name: "Conflicts" });
    const row = within(table).getAllByRole("row")[1] as HTMLElement;
    expect(within(row).getByText("Job title")).toBeInTheDocument();
    expect(within(row).getByText("CRM title")).toBeInTheDocument();
    expect(within(row).getByText("Outlook title")).toBeInTheDocument();
    expect(within(row).getByText("Outlook")).toBeInTheDocument();
    expect(crm.person("cp-0")?.jobTitle).toBe("Outlook title");
  });

  test("a run over the mass-delete guard asks in a dialog; Cancel deletes nothing, Confirm deletes", async () => {
    const user = userEvent.setup();
    const { crm, contacts, notified } = await renderWithServices(<SyncLogView />, { linked: 20 });
    await screen.findByText("No sync has run yet on this device.");
    for (let i = 0; i < 12; i++) crm.editPerson(`cp-${i}`, { status: "deleted" });
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    let dialog = await screen.findByRole("alertdialog", { name: "Delete 12 Outlook contacts?" });
    expect(within(dialog).getAllByRole("listitem")).toHaveLength(12);
    expect(within(dialog).getByText(/Erika Muster0 — Deleted in the CRM/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog", { hidden: true })).not.toBeInTheDocument());
    expect(await screen.findByText("Nothing was deleted. The next sync asks again.")).toBeInTheDocument();
    expect(contacts.deleted).toHaveLength(0);
    expect(contacts.calls.deleteContacts).toBe(0);

    // The page becomes accessible again once the modal is gone.
    await user.click(await screen.findByRole("button", { name: "Sync now" }));
    dialog = await screen.findByRole("alertdialog", { name: "Delete 12 Outlook contacts?" });
    await user.click(within(dialog).getByRole("button", { name: "Delete contacts" }));
    expect(await screen.findByText(/12 deleted/)).toBeInTheDocument();
    expect(contacts.deleted).toHaveLength(12);
    expect(crm.allPersons()).toHaveLength(20); // nothing removed from the CRM
    expect(notified).toHaveBeenCalled();
  });

  test("Cancel stops a running sync", async () => {
    const user = userEvent.setup();
    const { crm, localStore } = await renderWithServices(<SyncLogView />, { linked: 2 });
    await screen.findByText("No sync has run yet on this device.");
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const original = crm.batchGet.bind(crm);
    jest.spyOn(crm, "batchGet").mockImplementation(async (ids, options) => {
      await gate;
      return original(ids, options);
    });
    await user.click(screen.getByRole("button", { name: "Sync now" }));
    expect(await screen.findByRole("progressbar")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    await act(async () => release());
    await waitFor(() => expect(screen.queryByRole("button", { name: "Cancel" })).not.toBeInTheDocument());
    expect(await readSyncLog(localStore)).toHaveLength(0); // cancelled before anything was applied
  });

  test("a stored run with many conflicts shows them a page at a time", async () => {
    const user = userEvent.setup();
    const conflicts = Array.from({ length: 150 }, (_, i) => ({
      crmId: `cp-${i}`,
      name: `Person ${i}`,
      field: "mobile",
      crmValue: `+49 1 ${i}`,
      outlookValue: `+49 2 ${i}`,
      baseValue: null,
      winner: "crm",
      rule: "crm-wins",
    }));
    const entry = {
      id: "run-1",
      startedAt: "2026-11-25T10:00:00.000Z",
      finishedAt: "2026-11-25T10:00:05.000Z",
      trigger: "manual",
      counts: {
        updatedOutlook: 150,
        updatedCrm: 0,
        conflicts: 150,
        overwritten: 0,
        unlinked: 0,
        deleted: 0,
        failed: 1,
      },
      conflicts,
      overwritten: [],
      failures: [
        {
          crmId: "cp-x",
          name: "Failing Person",
          action: "update-outlook",
          code: "throttled",
          message: "429",
        },
      ],
      deleted: [],
      unlinked: [],
      cancelled: false,
    };
    await renderWithServices(<SyncLogView />, { localData: { "sync.log": [entry] } });
    await user.click(await screen.findByRole("button", { name: /150 conflicts/ }));
    const table = await screen.findByRole("table", { name: "Conflicts" });
    expect(within(table).getAllByRole("row")).toHaveLength(101); // header + 100
    await user.click(screen.getByRole("button", { name: "Show 50 more" }));
    expect(within(table).getAllByRole("row")).toHaveLength(151);
    const failures = screen.getByRole("table", { name: "Failures" });
    expect(within(failures).getByText("Failing Person")).toBeInTheDocument();
    expect(within(failures).getByText(/Too many requests/)).toBeInTheDocument();
  });

  test("shows the German texts", async () => {
    await renderWithServices(<SyncLogView />, { language: "de" });
    expect(await screen.findByRole("button", { name: "Jetzt synchronisieren" })).toBeInTheDocument();
    expect(screen.getByText("Auf diesem Gerät lief noch keine Synchronisierung.")).toBeInTheDocument();
  });
});

describe("sync on open", () => {
  test("runs once when the pane opens; a second start within a few minutes is skipped", async () => {
    const { crm, localStore, services } = await renderWithServices(<SyncOnOpen />, {
      linked: 2,
      prepare: ({ crm }) => crm.editPerson("cp-0", { jobTitle: "Changed" }),
    });
    await waitFor(async () => expect(await readSyncLog(localStore)).toHaveLength(1));
    const [entry] = await readSyncLog(localStore);
    expect(entry?.trigger).toBe("open");
    expect(entry?.counts.updatedOutlook).toBe(1);
    expect(crm.calls.batchGet).toBe(1);
    expect(await runSync(services, { force: false })).toEqual({ status: "skipped", reason: "recent" });
    expect(crm.calls.batchGet).toBe(1);
  });

  test("does nothing when sync on open is off", async () => {
    const { crm, contacts } = await renderWithServices(<SyncOnOpen />, {
      linked: 2,
      storedSettings: { userSettings: { syncOnOpen: false } },
    });
    await act(async () => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(crm.calls.batchGet).toBe(0);
    expect(contacts.calls.listFolders).toBe(0);
  });

  test("calls onNeedsConfirmation when the guard stops the run, and applies nothing", async () => {
    const onNeeds = jest.fn();
    const { contacts } = await renderWithServices(<SyncOnOpen onNeedsConfirmation={onNeeds} />, {
      linked: 20,
      prepare: ({ crm }) => {
        for (let i = 0; i < 12; i++) crm.editPerson(`cp-${i}`, { status: "inactive" });
      },
    });
    await waitFor(() => expect(onNeeds).toHaveBeenCalledTimes(1));
    expect(contacts.deleted).toHaveLength(0);
  });
});
