import { emailDomainOf, freeMailDomains, preassignBusinessPartner } from "../../src/core/business-partner";
import type { BusinessPartner } from "../../src/core/model";
import { aPartner } from "../support/fakes";

const partners: BusinessPartner[] = [
  aPartner({ id: "bp-0001", name: "Müller Bau GmbH", emailDomains: ["mueller-bau.de"] }),
  aPartner({ id: "bp-0002", name: "Lumière SA", emailDomains: ["lumiere.fr"] }),
  aPartner({ id: "bp-0003", name: "Weber Logistik AG", emailDomains: ["weber-logistik.de", "weber.com"] }),
  aPartner({ id: "bp-0004", name: "Weber Logistik AG", emailDomains: ["weber-logistik.at"] }),
  aPartner({ id: "bp-0005", name: "Schulz KG", emailDomains: ["shared.example", "schulz.de"] }),
  aPartner({ id: "bp-0006", name: "Schulz Immobilien", emailDomains: ["shared.example"] }),
  aPartner({ id: "bp-0007", name: "Gmail Fans e.V.", emailDomains: ["gmail.com"] }),
];

describe("preassignBusinessPartner", () => {
  it.each<[string, { companyName?: string | null; email?: string | null }, string | null, string]>([
    ["company name, exact", { companyName: "Müller Bau GmbH" }, "bp-0001", "company-name"],
    ["company name, case and accents", { companyName: "  MULLER  bau gmbh " }, "bp-0001", "company-name"],
    ["company name, accent dropped", { companyName: "Lumiere SA" }, "bp-0002", "company-name"],
    [
      "company name beats the domain",
      { companyName: "Lumière SA", email: "x@mueller-bau.de" },
      "bp-0002",
      "company-name",
    ],
    ["company name of two partners is ambiguous", { companyName: "Weber Logistik AG" }, null, "ambiguous"],
    [
      "ambiguous name is not rescued by the domain",
      { companyName: "Weber Logistik AG", email: "h.weber@weber-logistik.de" },
      null,
      "ambiguous",
    ],
    [
      "unknown company name falls through to the domain",
      { companyName: "MB", email: "a@mueller-bau.de" },
      "bp-0001",
      "email-domain",
    ],
    ["e-mail domain of one partner", { email: "Anna.Schmidt@Mueller-Bau.DE" }, "bp-0001", "email-domain"],
    ["second domain of a partner", { email: "h@weber.com" }, "bp-0003", "email-domain"],
    ["domain of two partners is ambiguous", { email: "info@shared.example" }, null, "ambiguous"],
    ["unknown domain", { email: "max.neumann@example.org" }, null, "none"],
    ["subdomain is another domain", { email: "a@sales.mueller-bau.de" }, null, "none"],
    ["free-mail domain is ignored even if a partner lists it", { email: "fan@gmail.com" }, null, "none"],
    ["free-mail domain, upper case", { email: "fan@GMX.DE" }, null, "none"],
    ["invalid e-mail", { email: "not-an-address" }, null, "none"],
    ["nothing given", {}, null, "none"],
    ["blank values", { companyName: " ", email: "" }, null, "none"],
    ["nulls", { companyName: null, email: null }, null, "none"],
  ])("%s", (_name, contact, id, reason) => {
    expect(preassignBusinessPartner(contact, partners)).toEqual({ businessPartnerId: id, reason });
  });

  it("finds nothing in an empty partner list", () => {
    expect(
      preassignBusinessPartner({ companyName: "Müller Bau GmbH", email: "a@mueller-bau.de" }, []),
    ).toEqual({
      businessPartnerId: null,
      reason: "none",
    });
  });

  it("counts a partner listed twice once", () => {
    const first = partners[0] as BusinessPartner;
    expect(preassignBusinessPartner({ companyName: "Müller Bau GmbH" }, [first, first])).toEqual({
      businessPartnerId: "bp-0001",
      reason: "company-name",
    });
  });

  it("compares partner domains trimmed, lower-case and without a leading @", () => {
    const odd = aPartner({ id: "bp-odd", name: "Odd", emailDomains: [" @Odd.Example "] });
    expect(preassignBusinessPartner({ email: "x@odd.example" }, [odd]).businessPartnerId).toBe("bp-odd");
  });
});

describe("free-mail domains", () => {
  it.each([
    "gmail.com",
    "gmx.de",
    "web.de",
    "outlook.com",
    "hotmail.com",
    "yahoo.com",
    "t-online.de",
    "icloud.com",
  ])("%s is a free-mail domain", (domain) => {
    expect(freeMailDomains.has(domain)).toBe(true);
  });

  it.each<[string | null, string | undefined]>([
    ["Anna@Mueller-Bau.DE", "mueller-bau.de"],
    ["no-address", undefined],
    [null, undefined],
  ])("emailDomainOf(%j) -> %j", (email, domain) => {
    expect(emailDomainOf(email)).toBe(domain);
  });
});
