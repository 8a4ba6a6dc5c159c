import { startCrmServer } from "./server";
import { contractHttp } from "../../contract/http";
(async () => {
  const s = await startCrmServer({ port: 0 });
  const { call } = contractHttp(() => ({ baseUrl: s.url, token: s.token }));
  const seq: [string, string, string | null][] = [["GET", "/me", s.token], ["GET", "/me", null], ["GET", "/me", null], ["GET", "/me", s.token], ["GET", "/me", null]];
  for (const [m, p, tok] of seq) {
    const t = Date.now();
    const r = await Promise.race([call(m, p, { token: tok }), new Promise<null>((res) => setTimeout(() => res(null), 3000))]);
    console.log(m, p, tok ? "tok" : "none", r?.status ?? "TIMEOUT", Date.now() - t);
  }
  await s.close(); process.exit(0);
})();
