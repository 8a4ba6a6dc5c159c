/**
 * Demo seed of the Graph emulator's demo mailbox, built deterministically from `demoData()`:
 * ~60 contacts matching CRM persons exactly by e-mail (certain duplicates), ~30 near matches
 * (10 same last name + mobile with another e-mail = certain; 10 same first + last name only =
 * possible; 10 same last name + business phone = possible), ~200 unrelated contacts, and a few
 * with odd data (no surname, invalid e-mail, unparseable phone, very long fields, markup text).
 * Some carry photos (stored as JPEG, as Exchange does). None is linked (no extended properties).
 * The unknown demo people (max.neumann@example.org, laura.bianchi@example.net) are never included.
 * Birthdays are stored as Outlook for Windows stores them on a device at UTC+2: the 1st reads
 * back as the previous day 22:00Z (FIDELITY 5).
 *
 * The demo user has no folders of their own (everything is in the default folder, which
 * GET /me/contactFolders does not list). A second mailbox (`NESTED_GRAPH_TOKEN`) has nested
 * folders ("Kunden" > "Region Nord" > "Hamburg") with contacts at each level.
 */
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { demoData, type DemoContactPerson } from "../demo-data";
import type { Mailbox } from "./mailbox";

/** Token of the demo mailbox with nested contact folders. */
export const NESTED_GRAPH_TOKEN = "demo-graph-token-nested";

/**
 * The birthday instant Outlook stores for calendar date `date` (YYYY-MM-DD) on a device at UTC
 * offset `offsetHours`: local midnight in UTC, e.g. ("1984-03-12", 2) -> "1984-03-11T22:00:00Z".
 */
export function birthdayStoredAt(date: string, offsetHours: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) - offsetHours * 3_600_000;
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A photo as Outlook can hold it: PNGs converted to JPEG (Graph accepts JPEG only). */
export function asJpeg(photo: { contentType: string; data: Uint8Array }): {
  contentType: string;
  data: Uint8Array;
} {
  if (photo.contentType === "image/jpeg") return photo;
  const png = PNG.sync.read(Buffer.from(photo.data));
  const out = jpeg.encode({ data: png.data, width: png.width, height: png.height }, 90);
  return { contentType: "image/jpeg", data: new Uint8Array(out.data) };
}

const EXCLUDED = new Set(["max.neumann@example.org", "laura.bianchi@example.net"]);

// A 1x1 PNG for unrelated contacts with a photo.
const TINY_PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

const UNRELATED_FIRST = [
  "Sven",
  "Ingrid",
  "Piotr",
  "Agnieszka",
  "Lars",
  "Astrid",
  "Mikko",
  "Aino",
  "Tomasz",
  "Freja",
];
const UNRELATED_LAST = [
  "Lindqvist",
  "Kowalczyk",
  "Virtanen",
  "Halvorsen",
  "Nieminen",
  "Wiśniewski",
  "Bergström",
  "Johansson",
  "Korhonen",
  "Zieliński",
  "Andersen",
  "Mäkinen",
  "Dąbrowski",
  "Sørensen",
  "Lehtonen",
  "Nyberg",
  "Kaminski",
  "Eriksson",
  "Hakala",
  "Solberg",
];

function digits(s: string | null | undefined): string {
  return (s ?? "").replace(/\D/g, "");
}

function personBody(p: DemoContactPerson, companyName: string | null): Record<string, unknown> {
  return {
    givenName: p.firstName,
    surname: p.lastName,
    title: p.title,
    jobTitle: p.jobTitle,
    department: p.department,
    companyName,
    emailAddresses: p.email ? [{ name: `${p.firstName ?? ""} ${p.lastName}`.trim(), address: p.email }] : [],
    businessPhones: p.phone ? [p.phone] : [],
    mobilePhone: p.mobile,
    birthday: p.birthday ? birthdayStoredAt(p.birthday, 2) : null,
  };
}

/** Fills the mailbox with the demo contacts (idempotent only on an empty mailbox). */
export function seedDemoMailbox(mb: Mailbox): void {
  const { businessPartners, contactPersons } = demoData();
  const partnerName = new Map(businessPartners.map((b) => [b.id, b.name]));
  const active = contactPersons.filter(
    (p) => p.status === "active" && !(p.email && EXCLUDED.has(p.email.toLowerCase())),
  );
  const folder = mb.defaultFolderId;
  const crmLast = new Set(contactPersons.map((p) => p.lastName.toLowerCase()));
  const crmEmails = new Set(contactPersons.map((p) => (p.email ?? "").toLowerCase()));
  const crmPhones = new Set(
    contactPersons.flatMap((p) => [digits(p.phone), digits(p.mobile), digits(p.fax)]),
  );
  const used = new Set<string>();

  // 1. Exact matches by e-mail (certain duplicates); every third with the CRM photo or a tiny one.
  const withEmail = active.filter((p) => p.email);
  for (const p of withEmail.slice(0, 60)) {
    used.add(p.id);
    const photo = p.photo ?? (used.size % 3 === 0 ? { contentType: "image/png", data: TINY_PNG } : undefined);
    const body = personBody(p, partnerName.get(p.businessPartnerId) ?? null);
    mb.seedContact(folder, body, photo ? asJpeg(photo) : undefined);
  }
  const rest = active.filter((p) => !used.has(p.id));
  // 2a. Same last name + same mobile, another e-mail (certain).
  const withMobile = rest.filter((p) => p.mobile).slice(0, 10);
  for (const p of withMobile) {
    used.add(p.id);
    mb.seedContact(folder, {
      ...personBody(p, null),
      givenName: p.firstName ? p.firstName.slice(0, 1) + "." : null,
      emailAddresses: [
        {
          name: p.lastName,
          address: `${p.lastName.toLowerCase().replace(/[^a-z]/g, "")}.private@mailbox.test`,
        },
      ],
      businessPhones: [],
    });
  }
  // 2b. Same first + last name only (possible).
  const named = rest.filter((p) => !used.has(p.id) && p.firstName).slice(0, 10);
  for (const p of named) {
    used.add(p.id);
    mb.seedContact(folder, {
      givenName: p.firstName,
      surname: p.lastName,
      emailAddresses: [
        {
          name: null,
          address: `${(p.firstName ?? "x").toLowerCase().replace(/[^a-z]/g, "")}@home-mail.test`,
        },
      ],
    });
  }
  // 2c. Same last name + business phone (possible).
  const phoned = rest.filter((p) => !used.has(p.id) && p.phone).slice(0, 10);
  for (const p of phoned) {
    used.add(p.id);
    mb.seedContact(folder, {
      givenName: "Kim",
      surname: p.lastName,
      businessPhones: [p.phone],
      emailAddresses: [{ name: null, address: `kim.${p.id}@other-company.test` }],
    });
  }
  // 3. Unrelated contacts: surnames, e-mails and phones unknown to the CRM.
  const lastNames = UNRELATED_LAST.filter((l) => !crmLast.has(l.toLowerCase()));
  let n = 0;
  for (let i = 0; n < 200 && i < 2000; i++) {
    const first = UNRELATED_FIRST[i % UNRELATED_FIRST.length];
    const last = lastNames[Math.floor(i / UNRELATED_FIRST.length) % lastNames.length];
    const email = `${first.toLowerCase()}.${n}@nordic-friends.test`;
    const mobile = `+46 70 ${String(100 + n).padStart(3, "0")} ${String(10 + (n % 90)).padStart(2, "0")} ${String(
      10 + ((n * 7) % 90),
    ).padStart(2, "0")}`;
    if (crmEmails.has(email) || crmPhones.has(digits(mobile))) continue;
    mb.seedContact(
      folder,
      {
        givenName: first,
        surname: `${last}${n >= UNRELATED_FIRST.length * lastNames.length ? "-Berg" : ""}`,
        emailAddresses: [{ name: `${first} ${last}`, address: email }],
        mobilePhone: mobile,
        companyName: n % 4 === 0 ? "Nordic Friends AB" : null,
        personalNotes: n % 10 === 0 ? "Met at the conference in Malmö." : "",
        businessAddress:
          n % 5 === 0
            ? { street: "Storgatan 1", city: "Malmö", postalCode: "211 34", countryOrRegion: "Sverige" }
            : {},
      },
      n % 15 === 0 ? asJpeg({ contentType: "image/png", data: TINY_PNG }) : undefined,
    );
    n++;
  }
  // 4. Odd data.
  const long = "Sehr lange Bezeichnung ".repeat(12).trim();
  mb.seedContact(folder, {
    givenName: "Cher",
    emailAddresses: [{ name: "Cher", address: "cher@stage-name.test" }],
  });
  mb.seedContact(folder, { companyName: "Nur Firma GmbH", businessPhones: ["+49 30 5550000"] });
  mb.seedContact(folder, {
    givenName: "Ivan",
    surname: "Invalid",
    emailAddresses: [{ name: "Ivan", address: "ivan-at-nowhere" }],
  });
  mb.seedContact(folder, {
    givenName: "Paula",
    surname: "Phoneless",
    mobilePhone: "call me maybe",
    businessPhones: ["n/a"],
  });
  mb.seedContact(folder, {
    givenName: "Lang",
    surname: long,
    jobTitle: long,
    department: long,
    companyName: long,
  });
  mb.seedContact(folder, {
    givenName: "<script>alert(1)</script>",
    surname: "Markup",
    personalNotes: '<b>bold</b> <img src=x onerror="alert(2)">',
    emailAddresses: [{ name: "<i>x</i>", address: "markup@script-test.test" }],
  });
}

/** The second demo mailbox: contacts in the default folder and in nested folders of their own. */
export function seedNestedMailbox(mb: Mailbox): void {
  const kunden = mb.createFolder("Kunden");
  const nord = mb.createFolder("Region Nord", kunden.id);
  const hamburg = mb.createFolder("Hamburg", nord.id);
  mb.createFolder("Privat");
  const people: [string, string, string][] = [
    [mb.defaultFolderId, "Greta", "Hansen"],
    [kunden.id, "Jonas", "Petersen"],
    [nord.id, "Frieda", "Carstens"],
    [hamburg.id, "Hinnerk", "Jessen"],
    [hamburg.id, "Wiebke", "Thomsen"],
  ];
  people.forEach(([folderId, givenName, surname], i) => {
    mb.seedContact(folderId, {
      givenName,
      surname,
      emailAddresses: [
        {
          name: `${givenName} ${surname}`,
          address: `${givenName.toLowerCase()}.${surname.toLowerCase()}@nordsee.test`,
        },
      ],
      businessPhones: [`+49 40 555${String(100 + i)}`],
      birthday: i % 2 === 0 ? birthdayStoredAt(`198${i}-0${i + 1}-01`, 2) : null,
    });
  });
}
