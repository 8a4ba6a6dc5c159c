/**
 * zod schemas of every CRM response (contract v1). Unknown extra fields are tolerated and
 * dropped (forward compatible); a missing or mistyped field makes the response a "bad-response".
 *
 * @example
 *   contactPersonSchema.parse(json); // ContactPerson, or throws a ZodError
 */
import { z } from "zod";
import type { BusinessPartner, ContactPerson } from "../../core/model";

const nullableString = z.string().nullable();

export const addressSchema = z.object({
  street: nullableString.optional(),
  city: nullableString.optional(),
  postalCode: nullableString.optional(),
  state: nullableString.optional(),
  countryOrRegion: nullableString.optional(),
});

export const businessPartnerSchema: z.ZodType<BusinessPartner> = z.object({
  id: z.string().min(1),
  name: z.string(),
  address: addressSchema,
  phone: nullableString,
  website: nullableString,
  emailDomains: z.array(z.string()),
});

export const contactPersonSchema: z.ZodType<ContactPerson> = z.object({
  id: z.string().min(1),
  businessPartnerId: z.string(),
  salutation: nullableString,
  title: nullableString,
  firstName: nullableString,
  lastName: z.string(),
  jobTitle: nullableString,
  department: nullableString,
  email: nullableString,
  phone: nullableString,
  mobile: nullableString,
  fax: nullableString,
  birthday: nullableString,
  notes: nullableString,
  responsibleEmployee: nullableString,
  hasPhoto: z.boolean(),
  version: z.string().min(1),
  updatedAt: z.string(),
  status: z.enum(["active", "inactive", "deleted"]),
  outlookUsers: z.array(z.string()).optional(),
});

export const pageSchema = <T>(item: z.ZodType<T>) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const lookupResponseSchema = z.object({
  items: z.array(contactPersonSchema),
  /** v1.1: only when `idempotencyKeys` was sent. */
  createdWith: z.array(z.object({ idempotencyKey: z.string(), id: z.string() })).optional(),
});

export const batchGetResponseSchema = z.object({
  items: z.array(contactPersonSchema),
  missing: z.array(z.string()),
});

export const partnerBatchGetResponseSchema = z.object({
  items: z.array(businessPartnerSchema),
  missing: z.array(z.string()),
});

/** RFC 9457 problem details, leniently: every member optional. */
export const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string().optional(), message: z.string().optional() })).optional(),
});
export type Problem = z.infer<typeof problemSchema>;
