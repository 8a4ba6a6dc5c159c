import "@testing-library/jest-dom";
import { configure } from "@testing-library/react";

// Fluent UI in jsdom is slow on a loaded 2-core machine (CI, parallel engineers): a findBy/waitFor
// may need more than the 1 s default, a test more than 5 s. Longer limits only let slow runs pass;
// a broken feature still fails (the element never appears, the wait ends with the error).
configure({ asyncUtilTimeout: 5_000 });
jest.setTimeout(20_000);
