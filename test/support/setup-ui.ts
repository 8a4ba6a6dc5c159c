import { configure } from "@testing-library/react";
import "@testing-library/jest-dom";
// user-event drives real Fluent components: on a loaded 2-core CI machine a view test can take
// longer than Jest's 5 s default, and a findBy/waitFor longer than Testing Library's 1 s. The
// tests assert outcomes and request counts, never durations, so the limits only guard against hangs.
jest.setTimeout(30_000);
configure({ asyncUtilTimeout: 5_000 });
