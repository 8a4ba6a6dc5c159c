/**
 * Checks the connection to both back ends once on mount (and on retry): one page of the user's
 * CRM contact persons and the contacts of the default Outlook folder.
 *
 * @example
 *   const { status, retry } = useConnectionStatus();
 *   status.kind === "connected" && status.crm; // "100+" when there are more pages
 */
import { useCallback, useEffect, useState } from "react";
import { AppError } from "../../core/errors";
import { useServices } from "../services";

export type ConnectionStatus =
  | { kind: "checking" }
  | { kind: "connected"; crm: string; outlook: number }
  | { kind: "error"; error: AppError };

const PAGE = 100;

export function useConnectionStatus(): { status: ConnectionStatus; retry: () => void } {
  const { crm, contacts } = useServices();
  const [status, setStatus] = useState<ConnectionStatus>({ kind: "checking" });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setStatus({ kind: "checking" });
    Promise.all([
      crm.searchContactPersons({ responsibleMe: true, limit: PAGE }, { signal: controller.signal }),
      contacts.listContacts(null, { signal: controller.signal }),
    ]).then(
      ([page, outlook]) => {
        if (controller.signal.aborted) return;
        const crmCount = `${page.items.length}${page.nextCursor ? "+" : ""}`;
        setStatus({ kind: "connected", crm: crmCount, outlook: outlook.length });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setStatus({ kind: "error", error: AppError.from(error) });
      },
    );
    return () => controller.abort();
  }, [crm, contacts, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { status, retry };
}
