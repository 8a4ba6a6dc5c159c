// Types of scripts/content-security-policy.js (CommonJS, shared by webpack.config.js and tests).
export const OFFICE_CDN_ORIGINS: readonly string[];
export const OFFICE_SCRIPT_ORIGINS: readonly string[];
export const OFFICE_FRAME_ORIGINS: readonly string[];
export const OFFICE_CONNECT_ORIGINS: readonly string[];
export function contentSecurityPolicy(options: { crmOrigin: string; localOffice: boolean }): string;
export function cspMetaTag(policy: string): string;
