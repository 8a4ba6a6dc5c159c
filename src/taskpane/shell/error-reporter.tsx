/**
 * The error area's state: any component reports a failure with `useErrorReporter().report(e)`;
 * the shell's <ErrorArea/> shows it as a translated message until dismissed.
 *
 * @example
 *   const { report } = useErrorReporter();
 *   crm.getContactPerson(id).catch(report);
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from "react";
import { AppError } from "../../core/errors";

export interface ReportedError {
  id: number;
  error: AppError;
}

interface ErrorReporter {
  errors: ReportedError[];
  /** Shows the failure (anything thrown is wrapped into an AppError; `cancelled` is ignored). */
  report: (error: unknown) => void;
  dismiss: (id: number) => void;
}

const ErrorReporterContext = createContext<ErrorReporter | null>(null);

export function ErrorReporterProvider({
  initial = [],
  children,
}: {
  initial?: AppError[];
  children: ReactNode;
}) {
  const nextId = useRef(initial.length + 1);
  const [errors, setErrors] = useState<ReportedError[]>(() =>
    initial.map((error, i) => ({ id: i + 1, error })),
  );
  const report = useCallback((value: unknown) => {
    const error = AppError.from(value);
    if (error.code === "cancelled") return;
    const id = nextId.current++;
    setErrors((list) => [
      ...list.filter((e) => e.error.code !== error.code || e.error.message !== error.message),
      { id, error },
    ]);
  }, []);
  const dismiss = useCallback((id: number) => setErrors((list) => list.filter((e) => e.id !== id)), []);
  // Errors handed in later (the pane renders its shell before start-up has finished) are shown too.
  const shownInitial = useRef(initial);
  useEffect(() => {
    if (initial === shownInitial.current) return;
    shownInitial.current = initial;
    for (const error of initial) report(error);
  }, [initial, report]);
  const value = useMemo(() => ({ errors, report, dismiss }), [errors, report, dismiss]);
  return <ErrorReporterContext.Provider value={value}>{children}</ErrorReporterContext.Provider>;
}

export function useErrorReporter(): ErrorReporter {
  const value = useContext(ErrorReporterContext);
  if (!value) throw new AppError("unknown", "useErrorReporter outside <ErrorReporterProvider>");
  return value;
}

/** The i18n key of an error's message: `details.i18nKey` when given, else `errors:<code>`. */
export function errorMessageKey(error: AppError): string {
  const key = error.details?.i18nKey;
  return typeof key === "string" ? key : `errors:${error.code}`;
}
