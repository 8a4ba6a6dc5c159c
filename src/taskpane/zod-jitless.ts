/**
 * Switches off zod's JIT before any schema exists. zod 4 probes `new Function("")` when it builds
 * an object schema; under our Content-Security-Policy (no 'unsafe-eval') the probe is refused and
 * reported as a CSP violation even though zod catches it. Import this first in every entry point
 * (ES imports run in order). See docs/security.md, "Why no 'unsafe-eval'".
 */
import { z } from "zod";

z.config({ jitless: true });
