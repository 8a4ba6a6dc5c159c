/**
 * What `import ... from "zod"` resolves to in the pane's webpack build (resolve.alias): zod with
 * its JIT switched off (see zod-jitless.ts: the `new Function` probe is a CSP violation) before
 * any schema can be built, in whichever chunk zod is first used. The pane loads zod on demand
 * (start-up chunk, views), so "import it first in the entry" would put zod into the entry chunk.
 */
import { z } from "zod/v4";

z.config({ jitless: true });

export * from "zod/v4";
export { z, z as default };
