/**
 * Fixed-value test data builders shared by several unit tests (beside the numbered builders of
 * fakes.ts): the "Müller Bau GmbH" partner and its contact person used by the plan tests, and an
 * Outlook contact's fields with nothing filled in.
 *
 * @example
 *   const partner = muellerBauPartner("DE");
 *   const anna = muellerBauPerson("cp-1", { updatedAt: NOW }); // Anna Schmidt, cp-1@mueller-bau.de
 *   const contact = { ...blankOutlookFields(), surname: "Schmidt" };
 */
import type { BusinessPartner, ContactPerson, OutlookContactFields } from "../../src/core/model";

/** The business partner "Müller Bau GmbH" (id "bp-1") in München with the given country. */
export function muellerBauPartner(countryOrRegion: string): BusinessPartner {
  return {
    id: "bp-1",
    name: "Müller Bau GmbH",
    address: {
      street: "Hauptstraße 1",
      city: "München",
      postalCode: "80331",
      state: null,
      countryOrRegion,
    },
    phone: null,
    website: null,
    emailDomains: ["mueller-bau.de"],
  };
}

/** An active contact person Anna Schmidt of "bp-1" with e-mail `<id>@mueller-bau.de`; fields overridable. */
export function muellerBauPerson(id: string, overrides: Partial<ContactPerson> = {}): ContactPerson {
  return {
    id,
    businessPartnerId: "bp-1",
    salutation: null,
    title: null,
    firstName: "Anna",
    lastName: "Schmidt",
    jobTitle: "Einkauf",
    department: null,
    email: `${id}@mueller-bau.de`,
    phone: "+49 89 123456",
    mobile: "+49 171 2345678",
    fax: null,
    birthday: "1980-02-03",
    notes: null,
    responsibleEmployee: "demo.user",
    hasPhoto: false,
    version: "v1",
    updatedAt: "2026-11-21T10:00:00.000Z",
    status: "active",
    ...overrides,
  };
}

/** The fields of an Outlook contact with every value empty (null, [] or {}). */
export function blankOutlookFields(): OutlookContactFields {
  return {
    givenName: null,
    middleName: null,
    surname: null,
    title: null,
    jobTitle: null,
    department: null,
    companyName: null,
    emailAddresses: [],
    businessPhones: [],
    mobilePhone: null,
    homePhones: [],
    businessFax: null,
    businessAddress: {},
    birthday: null,
    personalNotes: null,
    fileAs: null,
  };
}
