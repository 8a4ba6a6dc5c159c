/**
 * Deterministic demo data shared by both stand-ins (reference CRM server and Graph emulator):
 * ~200 business partners and ~2,000 contact persons with German and international names,
 * addresses and phone formats, some photos, and deliberate overlaps (shared names, e-mail
 * domains, mobile numbers, even e-mail addresses) so that every duplicate status occurs.
 *
 * Seeded PRNG (mulberry32), no Math.random and no clock: `demoData()` returns the same records
 * on every call and machine. Keep the output stable; other helpers' tests depend on it.
 *
 * Fixed anchors: bp-0001 "Müller Bau GmbH" (München) with cp-00001 Anna Schmidt
 * <anna.schmidt@mueller-bau.de>, mobile "+49 171 2345678", responsible demo.user;
 * bp-0002 "Lumière SA" (Paris) with cp-00002 Jean Dupont <jean.dupont@lumiere.fr>;
 * bp-0003 "Weber Logistik AG" (Hamburg) with cp-00003 Hans Weber <h.weber@weber-logistik.de>.
 * Never generated: surnames Neumann/Bianchi, max.neumann@example.org, laura.bianchi@example.net.
 *
 * @example
 *   const { businessPartners, contactPersons } = demoData();
 *   contactPersons.find((p) => p.email === "anna.schmidt@mueller-bau.de")?.businessPartnerId; // "bp-0001"
 */
import { PNG } from "pngjs";
import type { BusinessPartner, ContactPerson, Photo } from "../../src/core/model";

export type DemoContactPerson = ContactPerson & { photo?: Photo };

export interface DemoData {
  businessPartners: BusinessPartner[];
  contactPersons: DemoContactPerson[];
}

export const DEMO_USER = "demo.user";
export const OTHER_USER = "other.user";
export const DEMO_PARTNER_COUNT = 200;
export const DEMO_PERSON_COUNT = 2000;

/** mulberry32: small, fast, good enough for demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Country = "DE" | "AT" | "CH" | "FR" | "GB" | "US" | "IT" | "ES" | "NL";

interface CountryInfo {
  name: string;
  cities: { city: string; postalCode: string; area: string; state?: string }[];
  streets: string[];
  legal: string[];
  firstNames: string[];
  lastNames: string[];
  tld: string;
}

const COUNTRIES: Record<Country, CountryInfo> = {
  DE: {
    name: "Deutschland",
    cities: [
      { city: "München", postalCode: "80331", area: "89" },
      { city: "Berlin", postalCode: "10115", area: "30" },
      { city: "Hamburg", postalCode: "20095", area: "40" },
      { city: "Köln", postalCode: "50667", area: "221" },
      { city: "Frankfurt am Main", postalCode: "60311", area: "69" },
      { city: "Stuttgart", postalCode: "70173", area: "711" },
      { city: "Düsseldorf", postalCode: "40213", area: "211" },
      { city: "Nürnberg", postalCode: "90402", area: "911" },
      { city: "Leipzig", postalCode: "04109", area: "341" },
      { city: "Würzburg", postalCode: "97070", area: "931" },
    ],
    streets: [
      "Hauptstraße",
      "Bahnhofstraße",
      "Goethestraße",
      "Schillerplatz",
      "Lindenallee",
      "Am Mühlbach",
      "Königsweg",
      "Friedrich-Ebert-Straße",
    ],
    legal: ["GmbH", "AG", "GmbH & Co. KG", "KG", "e.K."],
    firstNames: [
      "Jürgen",
      "Anna",
      "Hans",
      "Klaus",
      "Sabine",
      "Jörg",
      "Günther",
      "Katharina",
      "Lukas",
      "Sophie",
      "Maximilian",
      "Ursula",
      "Björn",
      "Monika",
      "Felix",
      "Lea",
      "Karl-Heinz",
      "Anne-Marie",
      "Thomas",
      "Petra",
      "Uwe",
      "Birgit",
      "Stefan",
      "Jana",
    ],
    lastNames: [
      "Müller",
      "Schmidt",
      "Schneider",
      "Fischer",
      "Weber",
      "Meyer",
      "Wagner",
      "Becker",
      "Schulz",
      "Hoffmann",
      "Schäfer",
      "Koch",
      "Bauer",
      "Richter",
      "Klein",
      "Wolf",
      "Schröder",
      "Zimmermann",
      "Krüger",
      "Hartmann",
      "Lange",
      "Groß",
      "Köhler",
      "Meier-Böhm",
      "Weiß",
      "Jäger",
      "Günther",
      "von Stein",
    ],
    tld: "de",
  },
  AT: {
    name: "Österreich",
    cities: [
      { city: "Wien", postalCode: "1010", area: "1" },
      { city: "Graz", postalCode: "8010", area: "316" },
      { city: "Linz", postalCode: "4020", area: "732" },
      { city: "Salzburg", postalCode: "5020", area: "662" },
    ],
    streets: ["Mariahilfer Straße", "Ringstraße", "Herrengasse", "Landstraßer Hauptstraße"],
    legal: ["GmbH", "AG", "OG"],
    firstNames: ["Florian", "Theresa", "Lukas", "Magdalena", "Johann", "Elisabeth", "Matthias", "Verena"],
    lastNames: [
      "Gruber",
      "Huber",
      "Pichler",
      "Moser",
      "Steiner",
      "Hofer",
      "Leitner",
      "Berger",
      "Fuchs",
      "Eder",
      "Mayrhofer",
      "Höller",
    ],
    tld: "at",
  },
  CH: {
    name: "Schweiz",
    cities: [
      { city: "Zürich", postalCode: "8001", area: "44" },
      { city: "Basel", postalCode: "4051", area: "61" },
      { city: "Genève", postalCode: "1201", area: "22" },
      { city: "Bern", postalCode: "3011", area: "31" },
    ],
    streets: ["Bahnhofstrasse", "Rue du Rhône", "Marktgasse", "Limmatquai"],
    legal: ["AG", "GmbH", "SA", "Sàrl"],
    firstNames: ["Reto", "Urs", "Corinne", "Beat", "Séverine", "Nadja", "Luca", "Chantal"],
    lastNames: [
      "Meier",
      "Keller",
      "Brunner",
      "Baumann",
      "Frei",
      "Gerber",
      "Favre",
      "Rochat",
      "Zürcher",
      "Ammann",
    ],
    tld: "ch",
  },
  FR: {
    name: "France",
    cities: [
      { city: "Paris", postalCode: "75001", area: "1" },
      { city: "Lyon", postalCode: "69001", area: "4" },
      { city: "Marseille", postalCode: "13001", area: "4" },
      { city: "Strasbourg", postalCode: "67000", area: "3" },
    ],
    streets: [
      "Rue de Rivoli",
      "Boulevard Saint-Michel",
      "Avenue des Champs-Élysées",
      "Rue de la Paix",
      "Quai d'Orsay",
    ],
    legal: ["SA", "SARL", "SAS"],
    firstNames: [
      "Jean",
      "Marie",
      "François",
      "Hélène",
      "Étienne",
      "Chloé",
      "Jean-Luc",
      "Anaïs",
      "Benoît",
      "Céline",
      "Loïc",
      "Maëlle",
    ],
    lastNames: [
      "Dupont",
      "Martin",
      "Bernard",
      "Lefèvre",
      "Moreau",
      "Durand",
      "Lévêque",
      "Girard",
      "D'Arcy",
      "Dubois",
      "Rousseau",
      "Fontaine",
      "Bélanger",
    ],
    tld: "fr",
  },
  GB: {
    name: "United Kingdom",
    cities: [
      { city: "London", postalCode: "EC1A 1BB", area: "20" },
      { city: "Manchester", postalCode: "M1 1AE", area: "161" },
      { city: "Edinburgh", postalCode: "EH1 1YZ", area: "131" },
    ],
    streets: ["High Street", "King's Road", "Baker Street", "Victoria Road"],
    legal: ["Ltd", "PLC", "LLP"],
    firstNames: [
      "James",
      "Olivia",
      "William",
      "Amelia",
      "Harry",
      "Emily",
      "George",
      "Siobhan",
      "Ian",
      "Charlotte",
    ],
    lastNames: [
      "Smith",
      "Jones",
      "Taylor",
      "Brown",
      "O'Brien",
      "Wilson",
      "Evans",
      "Thomas",
      "Roberts",
      "McDonald",
      "O'Neill",
      "Smyth-Jones",
    ],
    tld: "co.uk",
  },
  US: {
    name: "United States",
    cities: [
      { city: "New York", postalCode: "10001", area: "212", state: "NY" },
      { city: "San Francisco", postalCode: "94103", area: "415", state: "CA" },
      { city: "Chicago", postalCode: "60601", area: "312", state: "IL" },
      { city: "Austin", postalCode: "73301", area: "512", state: "TX" },
    ],
    streets: ["Main Street", "Broadway", "Market Street", "5th Avenue", "Elm Street"],
    legal: ["Inc.", "LLC", "Corp."],
    firstNames: [
      "Michael",
      "Jennifer",
      "David",
      "Jessica",
      "Robert",
      "Ashley",
      "Christopher",
      "Sarah",
      "Daniel",
      "Megan",
    ],
    lastNames: [
      "Johnson",
      "Williams",
      "Miller",
      "Davis",
      "Garcia",
      "Rodriguez",
      "Anderson",
      "O'Connor",
      "Jackson",
      "White",
      "Harris",
    ],
    tld: "com",
  },
  IT: {
    name: "Italia",
    cities: [
      { city: "Milano", postalCode: "20121", area: "02" },
      { city: "Roma", postalCode: "00184", area: "06" },
    ],
    streets: ["Via Roma", "Corso Buenos Aires", "Via Garibaldi"],
    legal: ["S.p.A.", "S.r.l."],
    firstNames: ["Giulia", "Marco", "Francesca", "Niccolò", "Alessandro", "Chiara"],
    lastNames: ["Rossi", "Russo", "Ferrari", "Esposito", "Romano", "Colombo", "De Luca", "Mancini"],
    tld: "it",
  },
  ES: {
    name: "España",
    cities: [
      { city: "Madrid", postalCode: "28013", area: "91" },
      { city: "Barcelona", postalCode: "08002", area: "93" },
    ],
    streets: ["Calle Mayor", "Gran Vía", "Paseo de Gracia"],
    legal: ["S.A.", "S.L."],
    firstNames: ["José", "María", "Iñigo", "Lucía", "Álvaro", "Sofía"],
    lastNames: ["García", "Fernández", "González", "Martínez", "López", "Sánchez", "Muñoz", "Peña"],
    tld: "es",
  },
  NL: {
    name: "Nederland",
    cities: [
      { city: "Amsterdam", postalCode: "1012 JS", area: "20" },
      { city: "Rotterdam", postalCode: "3011 AA", area: "10" },
    ],
    streets: ["Damrak", "Keizersgracht", "Coolsingel"],
    legal: ["B.V.", "N.V."],
    firstNames: ["Daan", "Sanne", "Sem", "Femke", "Bram", "Anouk"],
    lastNames: ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "van Dijk"],
    tld: "nl",
  },
};

/** Weighted country choice: mostly DACH, a fair share international. */
const COUNTRY_WEIGHTS: [Country, number][] = [
  ["DE", 50],
  ["AT", 9],
  ["CH", 9],
  ["FR", 9],
  ["GB", 8],
  ["US", 8],
  ["IT", 3],
  ["ES", 2],
  ["NL", 2],
];

const COMPANY_STEMS = [
  "Alpen",
  "Nordlicht",
  "Bergmann",
  "Rheintal",
  "Sonnenschein",
  "Hanse",
  "Isar",
  "Elbe",
  "Donau",
  "Kraft",
  "Blauwal",
  "Adler",
  "Fuchs",
  "Eiche",
  "Lindner",
  "Sternberg",
  "Falken",
  "Greif",
  "Neckar",
  "Bodensee",
  "Atlas",
  "Orion",
  "Vertex",
  "Nova",
  "Helix",
  "Quantum",
  "Zenith",
  "Pinnacle",
  "Summit",
  "Horizon",
  "Crédit",
  "Étoile",
  "Château",
  "Soleil",
  "Bellevue",
  "Riviera",
  "Avalon",
  "Meridian",
  "Cobalt",
  "Granite",
];
const COMPANY_TRADES = [
  "Bau",
  "Logistik",
  "Technik",
  "Software",
  "Consulting",
  "Handel",
  "Medizintechnik",
  "Energie",
  "Maschinenbau",
  "Immobilien",
  "Systems",
  "Solutions",
  "Foods",
  "Partners",
  "Design",
  "Druck",
  "Elektro",
  "Versicherung",
];
/** Stems that are used several times so that partners share a company-name prefix. */
const SHARED_PREFIXES = ["Müller Bau", "Schneider", "Alpen", "Nordlicht Energie", "Atlas"];

const SALUTATIONS: Record<Country, [string, string]> = {
  DE: ["Herr", "Frau"],
  AT: ["Herr", "Frau"],
  CH: ["Herr", "Frau"],
  FR: ["M.", "Mme"],
  GB: ["Mr", "Ms"],
  US: ["Mr.", "Ms."],
  IT: ["Sig.", "Sig.ra"],
  ES: ["Sr.", "Sra."],
  NL: ["Dhr.", "Mevr."],
};
const FEMALE = new Set([
  "Anna",
  "Sabine",
  "Katharina",
  "Sophie",
  "Ursula",
  "Monika",
  "Lea",
  "Anne-Marie",
  "Petra",
  "Birgit",
  "Jana",
  "Theresa",
  "Magdalena",
  "Elisabeth",
  "Verena",
  "Corinne",
  "Séverine",
  "Nadja",
  "Chantal",
  "Marie",
  "Hélène",
  "Chloé",
  "Anaïs",
  "Céline",
  "Maëlle",
  "Olivia",
  "Amelia",
  "Emily",
  "Siobhan",
  "Charlotte",
  "Jennifer",
  "Jessica",
  "Ashley",
  "Sarah",
  "Megan",
  "Giulia",
  "Francesca",
  "Chiara",
  "María",
  "Lucía",
  "Sofía",
  "Sanne",
  "Femke",
  "Anouk",
]);
const JOB_TITLES = [
  "Geschäftsführer",
  "Einkaufsleiterin",
  "Head of Sales",
  "Projektleiter",
  "CFO",
  "Office Manager",
  "Directeur commercial",
  "Key Account Manager",
  "Buyer",
  "Technischer Leiter",
  null,
  null,
];
const DEPARTMENTS = [
  "Einkauf",
  "Vertrieb",
  "IT",
  "Finance",
  "Marketing",
  "Geschäftsleitung",
  "Logistik",
  null,
  null,
];
const TITLES = ["Dr.", "Prof. Dr.", "Dipl.-Ing.", "Mag.", null, null, null, null, null, null, null, null];

/** The smallest JPEG decoders accept (1x1 px), with its end-of-image marker. */
const TINY_JPEG_BASE64 =
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=";

function tinyJpeg(): Uint8Array {
  const base = Buffer.from(TINY_JPEG_BASE64, "base64");
  return new Uint8Array(Buffer.concat([base, Buffer.from([0xff, 0xd9])]));
}

/** A 16x16 PNG in one colour with a lighter centre (an avatar-like square). */
function tinyPng(r: number, g: number, b: number): Uint8Array {
  const png = new PNG({ width: 16, height: 16 });
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const i = (y * 16 + x) * 4;
      const centre = x > 4 && x < 11 && y > 3 && y < 12;
      png.data[i] = centre ? 255 : r;
      png.data[i + 1] = centre ? 224 : g;
      png.data[i + 2] = centre ? 189 : b;
      png.data[i + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

/** ASCII slug for e-mail local parts and domains: "Müller Bau" -> "mueller-bau". */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, "und")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const ANCHOR_NAMES = new Set(["Anna Schmidt", "Jean Dupont", "Hans Weber"]);

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Builds the demo data (deterministic). */
export function demoData(): DemoData {
  const rnd = prng(20260401);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const int = (min: number, max: number): number => min + Math.floor(rnd() * (max - min + 1));
  const digits = (n: number): string => Array.from({ length: n }, () => String(int(0, 9))).join("");
  const chooseCountry = (): Country => {
    const total = COUNTRY_WEIGHTS.reduce((s, [, w]) => s + w, 0);
    let r = rnd() * total;
    for (const [c, w] of COUNTRY_WEIGHTS) {
      r -= w;
      if (r < 0) return c;
    }
    return "DE";
  };

  /** A landline in one of the typical notations of the country. */
  const landline = (country: Country, area: string): string => {
    const style = int(0, 2);
    switch (country) {
      case "DE":
        return style === 0
          ? `0${area} ${digits(6)}`
          : style === 1
            ? `+49 (0)${area} ${digits(6)}`
            : `+49 ${area} ${digits(4)}-${digits(2)}`;
      case "AT":
        return style === 0 ? `0${area} ${digits(6)}` : `+43 ${area} ${digits(6)}`;
      case "CH":
        return `+41 ${area} ${digits(3)} ${digits(2)} ${digits(2)}`;
      case "FR":
        return `+33 ${area} ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
      case "GB":
        return area.length === 2
          ? `+44 ${area} ${digits(4)} ${digits(4)}`
          : `+44 ${area} ${digits(3)} ${digits(4)}`;
      case "US":
        return style === 0 ? `+1 ${area}-555-${digits(4)}` : `+1 (${area}) 555-${digits(4)}`;
      case "IT":
        return `+39 ${area} ${digits(7)}`;
      case "ES":
        return `+34 ${area} ${digits(3)} ${digits(2)} ${digits(2)}`;
      case "NL":
        return `+31 ${area} ${digits(3)} ${digits(4)}`;
    }
  };
  const mobileNumber = (country: Country): string => {
    switch (country) {
      case "DE":
        return rnd() < 0.5
          ? `${pick(["0151", "0160", "0171", "0176"])} ${digits(7)}`
          : `+49 ${pick(["151", "160", "172", "176"])} ${digits(7)}`;
      case "AT":
        return `+43 ${pick(["664", "676", "699"])} ${digits(7)}`;
      case "CH":
        return `+41 ${pick(["76", "78", "79"])} ${digits(3)} ${digits(2)} ${digits(2)}`;
      case "FR":
        return `+33 6 ${digits(2)} ${digits(2)} ${digits(2)} ${digits(2)}`;
      case "GB":
        return `+44 7${digits(3)} ${digits(6)}`;
      case "US":
        return `+1 ${pick(["212", "415", "312"])}-555-${digits(4)}`;
      case "IT":
        return `+39 3${digits(2)} ${digits(7)}`;
      case "ES":
        return `+34 6${digits(2)} ${digits(3)} ${digits(3)}`;
      case "NL":
        return `+31 6 ${digits(8)}`;
    }
  };

  // ---- business partners -------------------------------------------------------------------
  const partners: BusinessPartner[] = [];
  const partnerCountry = new Map<string, Country>();
  const partnerArea = new Map<string, string>();
  const usedNames = new Set<string>();
  const addPartner = (name: string, country: Country, cityIndex: number | null, domain?: string): void => {
    const info = COUNTRIES[country];
    const cityInfo = cityIndex === null ? pick(info.cities) : (info.cities[cityIndex] ?? info.cities[0]!);
    const id = `bp-${pad(partners.length + 1, 4)}`;
    const base =
      domain ??
      `${slug(name.replace(/\s+(GmbH & Co\. KG|GmbH|AG|KG|e\.K\.|OG|SA|Sàrl|SARL|SAS|Ltd|PLC|LLP|Inc\.|LLC|Corp\.|S\.p\.A\.|S\.r\.l\.|S\.A\.|S\.L\.|B\.V\.|N\.V\.)$/, ""))}.${info.tld}`;
    const domains = [base.toLowerCase()];
    if (rnd() < 0.15) domains.push(`${base.split(".")[0]}-group.com`);
    usedNames.add(name);
    partners.push({
      id,
      name,
      address: {
        street: `${pick(info.streets)} ${int(1, 180)}`,
        city: cityInfo.city,
        postalCode: cityInfo.postalCode,
        state: cityInfo.state ?? null,
        countryOrRegion: info.name,
      },
      phone: landline(country, cityInfo.area),
      website: rnd() < 0.85 ? `https://www.${domains[0]}` : null,
      emailDomains: domains,
    });
    partnerCountry.set(id, country);
    partnerArea.set(id, cityInfo.area);
  };

  addPartner("Müller Bau GmbH", "DE", 0, "mueller-bau.de");
  addPartner("Lumière SA", "FR", 0, "lumiere.fr");
  addPartner("Weber Logistik AG", "DE", 2, "weber-logistik.de");
  // Partners sharing a company-name prefix with others (and sometimes the same domain).
  addPartner("Müller Bau Service GmbH", "DE", 0, "mueller-bau-service.de");
  addPartner("Müller Bauträger KG", "DE", 5);
  addPartner("Schneider Elektro GmbH", "DE", 1);
  addPartner("Schneider Elektro Service GmbH", "AT", 0);
  addPartner("Schneider Consulting AG", "CH", 0);
  addPartner("Alpen Logistik GmbH", "AT", 3);
  addPartner("Alpen Logistik AG", "CH", 3);
  addPartner("Nordlicht Energie GmbH", "DE", 2, "nordlicht-energie.de");
  addPartner("Nordlicht Energie Süd GmbH", "DE", 0, "nordlicht-energie.de");
  addPartner("Atlas Systems Inc.", "US", 0);
  addPartner("Atlas Systems Ltd", "GB", 0);
  while (partners.length < DEMO_PARTNER_COUNT) {
    const country = chooseCountry();
    const info = COUNTRIES[country];
    const prefix = rnd() < 0.06 ? pick(SHARED_PREFIXES) : pick(COMPANY_STEMS);
    const name = `${prefix} ${pick(COMPANY_TRADES)} ${pick(info.legal)}`;
    if (usedNames.has(name)) continue;
    addPartner(name, country, null);
  }

  // ---- contact persons ---------------------------------------------------------------------
  const persons: DemoContactPerson[] = [];
  const usedEmails = new Set<string>();
  const baseTime = Date.UTC(2026, 0, 5, 8, 0, 0);
  const photoFor = (n: number): Photo =>
    n % 3 === 0
      ? { contentType: "image/jpeg", data: tinyJpeg() }
      : { contentType: "image/png", data: tinyPng((n * 53) % 256, (n * 97) % 256, (n * 151) % 256) };

  const addPerson = (
    p: Omit<DemoContactPerson, "id" | "version" | "updatedAt" | "hasPhoto"> & { photo?: Photo },
  ): DemoContactPerson => {
    const n = persons.length + 1;
    const person: DemoContactPerson = {
      id: `cp-${pad(n, 5)}`,
      ...p,
      hasPhoto: p.photo !== undefined,
      version: "v1",
      updatedAt: new Date(baseTime + n * 7 * 60_000).toISOString(),
    };
    if (person.email !== null) usedEmails.add(person.email.toLowerCase());
    persons.push(person);
    return person;
  };
  const empty = {
    title: null,
    jobTitle: null,
    department: null,
    phone: null,
    fax: null,
    birthday: null,
    notes: null,
  };

  addPerson({
    ...empty,
    businessPartnerId: "bp-0001",
    salutation: "Frau",
    firstName: "Anna",
    lastName: "Schmidt",
    jobTitle: "Einkaufsleiterin",
    department: "Einkauf",
    email: "anna.schmidt@mueller-bau.de",
    phone: "+49 (0)89 123456",
    mobile: "+49 171 2345678",
    birthday: "1984-03-12",
    notes: "Bevorzugt Kontakt per E-Mail.",
    responsibleEmployee: DEMO_USER,
    status: "active",
    photo: photoFor(1),
  });
  addPerson({
    ...empty,
    businessPartnerId: "bp-0002",
    salutation: "M.",
    firstName: "Jean",
    lastName: "Dupont",
    jobTitle: "Directeur commercial",
    email: "jean.dupont@lumiere.fr",
    phone: "+33 1 42 68 53 00",
    mobile: "+33 6 12 34 56 78",
    responsibleEmployee: DEMO_USER,
    status: "active",
  });
  addPerson({
    ...empty,
    businessPartnerId: "bp-0003",
    salutation: "Herr",
    title: "Dr.",
    firstName: "Hans",
    lastName: "Weber",
    jobTitle: "Geschäftsführer",
    department: "Geschäftsleitung",
    email: "h.weber@weber-logistik.de",
    phone: "040 3012345",
    mobile: "0160 9876543",
    responsibleEmployee: OTHER_USER,
    status: "active",
  });

  while (persons.length < DEMO_PERSON_COUNT) {
    const n = persons.length + 1;
    // Partner choice: skewed so some partners have many persons, every partner has some.
    const partner = n <= DEMO_PARTNER_COUNT + 3 ? partners[(n - 4) % DEMO_PARTNER_COUNT]! : pick(partners);
    const country = partnerCountry.get(partner.id) ?? "DE";
    const info = COUNTRIES[rnd() < 0.85 ? country : chooseCountry()];
    let firstName = pick(info.firstNames);
    let lastName = pick(info.lastNames);
    let mobile: string | null = rnd() < 0.7 ? mobileNumber(country) : null;
    let email: string | null = null;
    const overlap = rnd();
    const earlier = persons.length > 10 ? persons[int(3, persons.length - 1)]! : undefined;
    if (earlier !== undefined && overlap < 0.03) {
      // Same name and same partner as an earlier person (a probable duplicate).
      firstName = earlier.firstName ?? firstName;
      lastName = earlier.lastName;
    } else if (earlier !== undefined && overlap < 0.05) {
      // Same name, other partner.
      firstName = earlier.firstName ?? firstName;
      lastName = earlier.lastName;
    } else if (earlier !== undefined && overlap < 0.07 && earlier.mobile !== null) {
      // Shares a mobile number with someone else (e.g. a team phone).
      mobile = earlier.mobile;
    } else if (earlier !== undefined && overlap < 0.08 && earlier.email !== null) {
      // Shares an e-mail address (e.g. an info@ mailbox entered for two people).
      email = earlier.email;
    }
    // Anchor people stay unique by name.
    if (ANCHOR_NAMES.has(`${firstName} ${lastName}`)) continue;
    const samePartner = earlier !== undefined && overlap < 0.03;
    const businessPartnerId = samePartner ? earlier.businessPartnerId : partner.id;
    const bp = partners.find((p) => p.id === businessPartnerId) ?? partner;
    if (email === null && rnd() < 0.93) {
      const domain = bp.emailDomains[0] ?? "example.com";
      const f = slug(firstName);
      const l = slug(lastName);
      const style = int(0, 3);
      let local =
        style === 0 ? `${f}.${l}` : style === 1 ? `${f[0]}.${l}` : style === 2 ? `${f}${l}` : `${l}.${f}`;
      let candidate = `${local}@${domain}`;
      let k = 2;
      while (usedEmails.has(candidate)) {
        local = `${f}.${l}${k++}`;
        candidate = `${local}@${domain}`;
      }
      // A few addresses are stored with capitals, as people type them.
      email = rnd() < 0.05 ? candidate.replace(/^./, (c) => c.toUpperCase()) : candidate;
    }
    const bpCountry = partnerCountry.get(businessPartnerId) ?? country;
    const area = partnerArea.get(businessPartnerId) ?? "89";
    const female = FEMALE.has(firstName);
    const statusRoll = rnd();
    const status = statusRoll < 0.015 ? "deleted" : statusRoll < 0.04 ? "inactive" : "active";
    const birthday = rnd() < 0.3 ? `${int(1955, 2000)}-${pad(int(1, 12), 2)}-${pad(int(1, 28), 2)}` : null;
    addPerson({
      businessPartnerId,
      salutation: rnd() < 0.9 ? SALUTATIONS[country][female ? 1 : 0] : null,
      title: pick(TITLES),
      firstName,
      lastName,
      jobTitle: pick(JOB_TITLES),
      department: pick(DEPARTMENTS),
      email,
      phone: rnd() < 0.75 ? landline(bpCountry, area) : null,
      mobile,
      fax: rnd() < 0.15 ? landline(bpCountry, area) : null,
      birthday,
      notes:
        rnd() < 0.1
          ? pick([
              "Messe-Kontakt 2025",
              "Prefers phone calls",
              "Newsletter: ja",
              "Rückruf erbeten",
              "Ancien client",
            ])
          : null,
      responsibleEmployee: rnd() < 0.4 ? DEMO_USER : OTHER_USER,
      status,
      ...(rnd() < 0.1 ? { photo: photoFor(n) } : {}),
    });
  }
  return { businessPartners: partners, contactPersons: persons };
}
