import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { USER_SETTINGS_KEY } from "../../../src/core/user-settings";
import { SettingsView } from "../../../src/taskpane/settings/SettingsView";
import { renderWithServices } from "../sync/render-with-services";

describe("SettingsView", () => {
  test("shows the defaults and stores the user's choices in the roaming store", async () => {
    const user = userEvent.setup();
    const { settings } = await renderWithServices(<SettingsView />);
    const phones = await screen.findByRole("combobox", { name: "Phone numbers" });
    expect(phones).toHaveValue("crm-to-outlook");
    await user.selectOptions(phones, "two-way");
    await user.click(screen.getByRole("radio", { name: "Outlook wins" }));
    await user.click(screen.getByRole("radio", { name: "A dedicated folder" }));
    await user.type(screen.getByRole("textbox", { name: /Folder name/ }), "CRM contacts");
    const region = screen.getByRole("textbox", { name: "Default phone region" });
    await user.clear(region);
    await user.type(region, "at");
    await user.click(screen.getByRole("switch", { name: "Sync when the pane opens" }));
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Settings saved.")).toBeInTheDocument();
    expect(settings.peek(USER_SETTINGS_KEY)).toMatchObject({
      fieldDirections: { phones: "two-way", name: "crm-to-outlook" },
      conflictRule: "outlook-wins",
      folderName: "CRM contacts",
      defaultPhoneRegion: "AT",
      syncOnOpen: false,
      withdrawDeselected: true,
    });
  });

  test("the business address cannot be set to both ways (the partner owns it)", async () => {
    await renderWithServices(<SettingsView />);
    const address = await screen.findByRole("combobox", { name: "Business address" });
    const values = Array.from((address as HTMLSelectElement).options).map((o) => o.value);
    expect(values).toEqual(["crm-to-outlook", "none"]);
  });

  test("validates with clear messages and does not save invalid input", async () => {
    const user = userEvent.setup();
    const { settings } = await renderWithServices(<SettingsView />);
    await user.click(await screen.findByRole("radio", { name: "A dedicated folder" }));
    const region = screen.getByRole("textbox", { name: "Default phone region" });
    await user.clear(region);
    await user.type(region, "XX");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(
      await screen.findByText("Enter a folder name, or choose the default Contacts folder."),
    ).toBeInTheDocument();
    expect(screen.getByText("XX is not a known phone region.")).toBeInTheDocument();
    expect(screen.getByText("Please correct the marked fields.")).toBeInTheDocument();
    expect(settings.peek(USER_SETTINGS_KEY)).toBeUndefined();
    await user.type(screen.getByRole("textbox", { name: /Folder name/ }), "a/b");
    await user.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("The folder name cannot contain \\ or /.")).toBeInTheDocument();
  });

  test("loads stored settings and can undo unsaved changes", async () => {
    const user = userEvent.setup();
    await renderWithServices(<SettingsView />, {
      storedSettings: { userSettings: { conflictRule: "newest-wins", folderName: "CRM", syncOnOpen: false } },
    });
    expect(await screen.findByRole("radio", { name: "The newest change wins" })).toBeChecked();
    expect(screen.getByRole("textbox", { name: /Folder name/ })).toHaveValue("CRM");
    expect(screen.getByRole("switch", { name: "Sync when the pane opens" })).not.toBeChecked();
    await user.click(screen.getByRole("radio", { name: "The CRM wins" }));
    await user.click(screen.getByRole("button", { name: "Undo changes" }));
    await waitFor(() => expect(screen.getByRole("radio", { name: "The newest change wins" })).toBeChecked());
  });

  test("is translated into German", async () => {
    await renderWithServices(<SettingsView />, { language: "de" });
    expect(await screen.findByRole("combobox", { name: "Telefonnummern" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Speichern" })).toBeInTheDocument();
  });
});
