/**
 * Text that the CRM contract refuses (and the import therefore flags before it sends anything):
 * lone UTF-16 surrogates (they cannot be stored as UTF-8 and come back as U+FFFD), C0/C1 control
 * characters (TAB, LF and CR are allowed in multi-line fields such as notes), and required values
 * that consist only of invisible characters (white space, controls, format characters such as
 * U+200B ZERO WIDTH SPACE, other default-ignorable code points). One definition for the reference
 * CRM (test/servers/crm/validation.ts) and the add-in (src/core/plans/import-plan.ts).
 *
 * @example
 *   unsafeText("Mül\u0000ler", false) // "control-character"
 *   unsafeText("a\nb", true)          // null
 *   hasVisibleText("\u200B\u200D ")   // false
 */

export type UnsafeTextReason = "lone-surrogate" | "control-character";

const LONE_SURROGATE = /\p{Cs}/u;
/** Cc = the C0 controls, DEL and the C1 controls. */
const CONTROL_SINGLE_LINE = /\p{Cc}/u;
const CONTROL_MULTI_LINE = /(?![\t\n\r])\p{Cc}/u;
const INVISIBLE = /[\s\p{Cc}\p{Cf}\p{Z}\p{Default_Ignorable_Code_Point}]/gu;

/** Why a value is unusable text, or null when it is fine. */
export function unsafeText(value: string, multiline: boolean): UnsafeTextReason | null {
  if (LONE_SURROGATE.test(value)) return "lone-surrogate";
  if ((multiline ? CONTROL_MULTI_LINE : CONTROL_SINGLE_LINE).test(value)) return "control-character";
  return null;
}

/** True when the value has at least one visible character. */
export function hasVisibleText(value: string): boolean {
  return value.replace(INVISIBLE, "") !== "";
}

/** The contract's message for an unsafe value of `field`. */
export function unsafeTextMessage(field: string, reason: UnsafeTextReason): string {
  return reason === "lone-surrogate"
    ? `${field} contains an unpaired UTF-16 surrogate`
    : `${field} contains a control character`;
}
