/**
 * Entry of `npm run test:contract`: the contract suite against the implementation named by the
 * environment (set by test/contract/cli.ts): CRM_CONTRACT_BASE_URL and CRM_CONTRACT_TOKEN.
 */
import { contractSuite } from "./suite";

jest.setTimeout(60_000);

const baseUrl = process.env.CRM_CONTRACT_BASE_URL ?? "";
const token = process.env.CRM_CONTRACT_TOKEN ?? "";

describe(`CRM contract v1 against ${baseUrl}`, () => {
  contractSuite(() => ({ baseUrl: baseUrl.replace(/\/+$/, ""), token }));
});
