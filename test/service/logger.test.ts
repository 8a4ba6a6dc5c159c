/** The service log never carries a token, secret or password, even inside an error message. */
import { createLogger, redact } from "../../service/logger";

const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJhYmMiLCJzY3AiOiJTeW5jIn0.c2lnbmF0dXJlLWJ5dGVz";

test.each([
  ["a JWT in a message", `token was ${JWT} here`, JWT],
  ["a bearer header", "Authorization: Bearer abc.def-ghi_123", "abc.def-ghi_123"],
  ["a connection URL's password", "postgres://sync:S3cr3t!pw@db.internal:5432/sync", "S3cr3t!pw"],
  ["a client secret field", '{"client_secret":"zz-top-secret"}', "zz-top-secret"],
  ["a password=... pair", "password=hunter2&user=x", "hunter2"],
  ["a PEM key", "-----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----", "MIIEv"],
])("redact removes %s", (_name, text, secret) => {
  expect(redact(text)).not.toContain(secret);
});

test("the logger redacts every line and field", () => {
  const lines: string[] = [];
  const log = createLogger("w", { out: (l) => lines.push(l), err: (l) => lines.push(l) });
  log.error("Graph said: invalid token", { error: `Bearer ${JWT}`, url: "postgres://u:pw123456@h/db" });
  log.info("run finished", { mailboxId: "m1", status: "done" });
  expect(lines).toHaveLength(2);
  expect(lines.join("")).not.toContain(JWT);
  expect(lines.join("")).not.toContain("pw123456");
  expect(JSON.parse(lines[1])).toMatchObject({
    level: "info",
    worker: "w",
    message: "run finished",
    mailboxId: "m1",
  });
});
