/**
 * A tiny fault-injecting HTTP proxy for adapter tests: forwards requests to a target origin
 * unless a queued fault applies to the next request. Counts what it received.
 *
 * Faults (consumed one per matching request, in order):
 * - `{ kind: "respond", status, headers?, body? }`  answer without forwarding (e.g. 503, bad JSON)
 * - `{ kind: "drop-response" }`  forward, let the server finish, then reset the client connection
 *   (the server did the work, the client never hears of it)
 * - `{ kind: "reset" }`  reset the connection without forwarding
 * - `{ kind: "delay", ms }`  forward after a delay (timeouts)
 * - `{ kind: "hold-response", ms }`  forward at once, answer the client only after a delay (the
 *   server has done the work while the client still waits, e.g. to cancel a request in flight)
 *
 * @example
 *   const proxy = await startFaultProxy("http://127.0.0.1:4000");
 *   proxy.enqueue({ kind: "respond", status: 503 });
 *   // client -> `${proxy.origin}/api/v1/...`
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault =
  | { kind: "respond"; status: number; headers?: Record<string, string>; body?: string | Buffer }
  | { kind: "drop-response" }
  | { kind: "reset" }
  | { kind: "delay"; ms: number }
  | { kind: "hold-response"; ms: number };

export interface FaultProxy {
  /** e.g. http://127.0.0.1:PORT (append the target's path, e.g. /api/v1). */
  origin: string;
  /** Queues a fault for the next request (optionally only for one method). */
  enqueue(fault: Fault, match?: { method?: string }): void;
  /** Requests received (including faulted ones). */
  count(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const queue: { fault: Fault; method?: string | undefined }[] = [];
  let received = 0;
  const timers = new Set<NodeJS.Timeout>();

  const forward = (
    req: http.IncomingMessage,
    body: Buffer,
    onResponse: (res: http.IncomingMessage, data: Buffer) => void,
  ) => {
    const upstream = http.request(
      {
        host: targetUrl.hostname,
        port: targetUrl.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: targetUrl.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => onResponse(res, Buffer.concat(chunks)));
      },
    );
    upstream.on("error", () => {
      req.socket.destroy();
    });
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    received++;
    const index = queue.findIndex((q) => q.method === undefined || q.method === req.method);
    const fault = index >= 0 ? queue.splice(index, 1)[0]?.fault : undefined;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const pass = (): void =>
        forward(req, body, (upstream, data) => {
          res.writeHead(upstream.statusCode ?? 502, upstream.headers);
          res.end(data);
        });
      if (fault === undefined) return pass();
      switch (fault.kind) {
        case "respond":
          res.writeHead(fault.status, fault.headers ?? {});
          res.end(fault.body ?? "");
          return undefined;
        case "reset":
          req.socket.destroy();
          return undefined;
        case "drop-response":
          forward(req, body, () => req.socket.destroy());
          return undefined;
        case "hold-response":
          forward(req, body, (upstream, data) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              if (req.socket.destroyed) return;
              res.writeHead(upstream.statusCode ?? 502, upstream.headers);
              res.end(data);
            }, fault.ms);
            timers.add(timer);
          });
          return undefined;
        case "delay":
          {
            const timer = setTimeout(() => {
              timers.delete(timer);
              if (!req.socket.destroyed) pass();
            }, fault.ms);
            timers.add(timer);
          }
          return undefined;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    enqueue: (fault, match) => queue.push({ fault, method: match?.method }),
    count: () => received,
    reset: () => {
      received = 0;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      queue.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
