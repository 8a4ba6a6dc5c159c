/**
 * The service's log: one JSON object per line on stdout (stderr for errors), for any log
 * collector. Every message and field passes `redact`, so no token, secret or password reaches
 * the log even when an error message quotes one.
 *
 * @example
 *   const log = createLogger("worker-1");
 *   log.info("run finished", { mailboxId, status: "done" });
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const PATTERNS: [RegExp, string][] = [
  // JWTs (three base64url parts)
  [/eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[jwt]"],
  // Authorization headers and bearer tokens
  [/(bearer\s+)[^\s"',;]+/gi, "$1[redacted]"],
  // passwords in connection URLs
  [/(\/\/[^:/@\s]+:)[^@\s]+@/g, "$1[redacted]@"],
  // key=value / "key":"value" secrets
  [
    /((?:password|secret|token|client_assertion|private_?key)["']?\s*[:=]\s*["']?)[^"'\s,&}]+/gi,
    "$1[redacted]",
  ],
  // PEM blocks
  [/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, "[pem]"],
];

/** Removes tokens, secrets and passwords from a text. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

export function createLogger(
  worker: string,
  sink: { out: (line: string) => void; err: (line: string) => void } = {
    out: (line) => process.stdout.write(line),
    err: (line) => process.stderr.write(line),
  },
): Logger {
  const write = (level: string, message: string, fields?: Record<string, unknown>): void => {
    const line = redact(
      JSON.stringify({ time: new Date().toISOString(), level, worker, message, ...fields }),
    );
    (level === "error" ? sink.err : sink.out)(`${line}\n`);
  };
  return {
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
