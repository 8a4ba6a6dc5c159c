/**
 * Input schemas of the reference CRM server (zod, strict: unknown fields are rejected) and the
 * translation of zod issues into the `errors: [{ field, message }]` list of a 400 problem.
 *
 * @example
 *   const r = createBodySchema.safeParse({ businessPartnerId: "bp-0001" });
 *   issuesToErrors(r.error!.issues); // [{ field: "lastName", message: "..." }]
 */
import { z } from "zod";
import { hasVisibleText, unsafeText, unsafeTextMessage } from "../../../src/core/text-safety";

export const MAX_KEYS = 1000;
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

/** A string without lone surrogates or control characters (TAB/LF/CR allowed when multi-line). */
const safeString = (multiline = false) =>
  z.string().superRefine((value, ctx) => {
    const reason = unsafeText(value, multiline);
    if (reason !== null) ctx.addIssue({ code: "custom", message: unsafeTextMessage("The value", reason) });
  });
const optionalText = (max: number, multiline = false) => safeString(multiline).max(max).nullable();
const phone = z
  .string()
  .max(50)
  .regex(/^\+?[0-9 ()\-./]*[0-9][0-9 ()\-./]*$/, "Invalid phone number: digits, spaces and + ( ) - / . only")
  .nullable();
const isoDate = z.iso.date("Invalid date: expected YYYY-MM-DD").nullable();

export const writableFields = {
  businessPartnerId: safeString().min(1).max(64),
  salutation: optionalText(50),
  title: optionalText(50),
  firstName: optionalText(100),
  lastName: z
    .string({
      error: (issue) => (issue.input === undefined ? "lastName is required" : "lastName must be a string"),
    })
    .max(100)
    .superRefine((value, ctx) => {
      const reason = unsafeText(value, false);
      if (reason !== null) ctx.addIssue({ code: "custom", message: unsafeTextMessage("lastName", reason) });
      else if (!hasVisibleText(value))
        ctx.addIssue({ code: "custom", message: "lastName must not be empty or invisible only" });
    }),
  jobTitle: optionalText(200),
  department: optionalText(200),
  email: z.email("Invalid e-mail address").max(254).nullable(),
  phone,
  mobile: phone,
  fax: phone,
  birthday: isoDate,
  notes: optionalText(4000, true),
};

export const createBodySchema = z.strictObject({
  ...writableFields,
  salutation: writableFields.salutation.optional(),
  title: writableFields.title.optional(),
  firstName: writableFields.firstName.optional(),
  jobTitle: writableFields.jobTitle.optional(),
  department: writableFields.department.optional(),
  email: writableFields.email.optional(),
  phone: writableFields.phone.optional(),
  mobile: writableFields.mobile.optional(),
  fax: writableFields.fax.optional(),
  birthday: writableFields.birthday.optional(),
  notes: writableFields.notes.optional(),
});

export const patchBodySchema = z.strictObject({
  businessPartnerId: writableFields.businessPartnerId.optional(),
  salutation: writableFields.salutation.optional(),
  title: writableFields.title.optional(),
  firstName: writableFields.firstName.optional(),
  lastName: writableFields.lastName.optional(),
  jobTitle: writableFields.jobTitle.optional(),
  department: writableFields.department.optional(),
  email: writableFields.email.optional(),
  phone: writableFields.phone.optional(),
  mobile: writableFields.mobile.optional(),
  fax: writableFields.fax.optional(),
  birthday: writableFields.birthday.optional(),
  notes: writableFields.notes.optional(),
  /** The CRM-side switch: replaces the list of users who want this person in Outlook. */
  outlookUsers: z.array(z.string().min(1).max(254)).max(1000).optional(),
});

/** Only plain decimal digits (no "0x10", "1e2", "+5", " 5"), then 1..MAX_LIMIT. */
const limit = z
  .string()
  .regex(/^[0-9]{1,6}$/, "limit must be a decimal integer")
  .transform(Number)
  .pipe(z.number().int().min(1).max(MAX_LIMIT))
  .optional()
  .transform((value) => value ?? DEFAULT_LIMIT);
const cursor = z.string().min(1).max(2000).optional();
const search = z.string().max(200).optional();

export const partnerQuerySchema = z.strictObject({ search, cursor, limit });

export const personQuerySchema = z.strictObject({
  search,
  businessPartnerId: z.string().min(1).max(64).optional(),
  businessPartnerSearch: z.string().min(1).max(200).optional(),
  city: z.string().min(1).max(100).optional(),
  responsible: z.literal("me").optional(),
  outlookUser: z.string().min(1).max(254).optional(),
  cursor,
  limit,
});

export const lookupBodySchema = z.strictObject({
  emails: z.array(z.string().max(254)).max(MAX_KEYS).default([]),
  phones: z.array(z.string().max(50)).max(MAX_KEYS).default([]),
  lastNames: z.array(z.string().max(100)).max(MAX_KEYS).default([]),
  /** Optional (contract v1.1): persons this user created with these `Idempotency-Key`s. */
  idempotencyKeys: z.array(z.string().min(1).max(255)).max(MAX_KEYS).optional(),
});

export const batchGetBodySchema = z.strictObject({
  ids: z.array(z.string().min(1).max(64)).max(MAX_KEYS),
});

export const idSchema = z.string().min(1).max(64);

/** Path parameters of `/{id}` routes: errors name `id`. */
export const idParamsSchema = z.object({ id: idSchema });

export interface FieldError {
  field: string;
  message: string;
}

/** One entry per issue; unknown keys become one entry per key, naming it. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: base === "" ? key : `${base}.${key}`,
        message: `Unknown field "${key}"`,
      }));
    }
    return [{ field: base === "" ? "body" : base, message: issue.message }];
  });
}
