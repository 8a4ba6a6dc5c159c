/**
 * State of the "Import as contact person" dialog for one person of the e-mail: prepares the
 * draft (Outlook contact, lookup, pre-assigned partner), keeps the user's names and partner,
 * re-checks duplicates as they change, and imports or links.
 *
 * @example
 *   const s = useImportPerson(mail, onImported);
 *   s.setPartner(partner); await s.submit(); // onImported("Max Neumann")
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { AppError } from "../../core/errors";
import type { BusinessPartner, MailPerson } from "../../core/model";
import { useServices } from "../services";
import { duplicateOf, importPerson, linkToExisting, prepareImport, type ImportDraft } from "./import-person";

export type ImportStatus = "loading" | "ready" | "working" | "error";

export function useImportPerson(mail: MailPerson, onImported: (name: string) => void) {
  const services = useServices();
  const [status, setStatus] = useState<ImportStatus>("loading");
  const [error, setError] = useState<AppError | null>(null);
  const [draft, setDraft] = useState<ImportDraft | null>(null);
  const [firstName, setFirstName] = useState("");
  const [lastName, setLastName] = useState("");
  const [partner, setPartner] = useState<BusinessPartner | null>(null);
  const active = useRef(true);

  useEffect(() => {
    active.current = true;
    prepareImport(services, mail)
      .then((prepared) => {
        if (!active.current) return;
        setDraft(prepared);
        setFirstName(prepared.firstName ?? "");
        setLastName(prepared.lastName);
        setPartner(prepared.partner);
        setStatus("ready");
      })
      .catch((e: unknown) => {
        if (!active.current) return;
        setError(AppError.from(e));
        setStatus("error");
      });
    return () => {
      active.current = false;
    };
  }, [services, mail]);

  const choice = useMemo(
    () => ({
      firstName: firstName.trim() || null,
      lastName: lastName.trim(),
      businessPartnerId: partner?.id ?? "",
    }),
    [firstName, lastName, partner],
  );
  const duplicate = useMemo(() => (draft ? duplicateOf(draft, choice) : null), [draft, choice]);
  const displayName = [choice.firstName, choice.lastName].filter(Boolean).join(" ");

  const run = useCallback(
    async (action: (d: ImportDraft) => Promise<unknown>) => {
      if (!draft) return;
      setStatus("working");
      setError(null);
      try {
        await action(draft);
        if (active.current) onImported(displayName);
      } catch (e) {
        if (!active.current) return;
        setError(AppError.from(e));
        setStatus("ready");
      }
    },
    [draft, displayName, onImported],
  );

  const canImport =
    status === "ready" &&
    choice.lastName !== "" &&
    partner !== null &&
    duplicate !== null &&
    duplicate.status !== "certain";

  return {
    status,
    error,
    draft,
    firstName,
    lastName,
    partner,
    duplicate,
    canImport,
    setFirstName,
    setLastName,
    setPartner,
    setError,
    submit: () => run((d) => importPerson(services, d, choice)),
    link: (crmId: string) => run((d) => linkToExisting(services, d, choice, crmId)),
  };
}
