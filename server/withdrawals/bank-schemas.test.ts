import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "@/server/field-errors";
import { holderNameSchema, isValidRoutingNumber, saveBankAccountInput } from "./bank-schemas";

const idempotencyKey = crypto.randomUUID();

function errorsOf(account: Record<string, unknown>) {
  const parsed = saveBankAccountInput.safeParse({ account, idempotencyKey });
  return parsed.success ? {} : zodFieldErrors(parsed.error);
}

describe("the holder's name", () => {
  it.each([
    "Ada Lovelace",
    "Zoë Ødegaard",
    "Jean-Luc Picard",
    "Seán O'Brien",
    "Aïssata N’Diaye",
    "李小龍",
    "Алексей Иванов",
    "José  María ",
  ])("accepts %s", (name) => expect(holderNameSchema.safeParse(name).success).toBe(true));

  it("trims it and keeps single spaces", () => {
    expect(holderNameSchema.parse("  José   María ")).toBe("José María");
  });

  it.each([
    ["A", "full name"],
    ["R2D2 Droid", "only letters"],
    ["Ada  -Lovelace", "only letters"],
    ["'Ada", "only letters"],
    ["Ada <script>", "only letters"],
    ["a".repeat(71), "at most 70"],
  ])("refuses %s", (name, words) => {
    const parsed = holderNameSchema.safeParse(name);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain(words);
  });
});

describe("an IBAN", () => {
  it("takes the printed form with spaces and lower case, and keeps the electronic form", () => {
    const parsed = saveBankAccountInput.parse({
      account: { kind: "iban", holderName: "Ada Lovelace", iban: "de89 3704 0044 0532 0130 00" },
      idempotencyKey,
    });
    expect(parsed.account).toMatchObject({ kind: "iban", iban: "DE89370400440532013000" });
  });

  it.each([
    ["DE89370400440532013001", "check digits do not match"],
    ["DE88370400440532013000", "check digits do not match"],
    ["DE8937040044053201300", "wrong number of characters for DE"],
    ["GB82WEST12345698765432X", "wrong number of characters for GB"],
    ["GB82WE5T12345698765432", "not how an IBAN from GB looks"],
    ["XX89370400440532013000", "starts with two letters for the country"],
    ["", "Enter your IBAN"],
    // Valid, but outside the SEPA area.
    ["BR1800360305000010009795493C1", "SEPA area"],
  ])("refuses %s beside the field, in words", (iban, words) => {
    const errors = errorsOf({ kind: "iban", holderName: "Ada Lovelace", iban });
    expect(errors["account.iban"]?.join(" ")).toContain(words);
  });

  it("accepts IBANs of other SEPA countries", () => {
    for (const iban of ["GB82WEST12345698765432", "FR1420041010050500013M02606", "NL91ABNA0417164300", "CH9300762011623852957"]) {
      expect(errorsOf({ kind: "iban", holderName: "Ada Lovelace", iban })).toEqual({});
    }
  });
});

describe("a local account", () => {
  it("checks a US routing number's ABA checksum", () => {
    expect(isValidRoutingNumber("110000000")).toBe(true);
    expect(isValidRoutingNumber("021000021")).toBe(true);
    expect(isValidRoutingNumber("011000015")).toBe(true);
    expect(isValidRoutingNumber("110000001")).toBe(false);
    expect(isValidRoutingNumber("12345678")).toBe(false);
    expect(isValidRoutingNumber("11000000a")).toBe(false);
  });

  it("accepts a US account and drops spaces and hyphens", () => {
    const parsed = saveBankAccountInput.parse({
      account: { kind: "local", holderName: "Ada Lovelace", country: "US", routingNumber: "110 000 000", accountNumber: "0001-2345-6789" },
      idempotencyKey,
    });
    expect(parsed.account).toMatchObject({ routingNumber: "110000000", accountNumber: "000123456789" });
  });

  it("says what is wrong with each US field", () => {
    const base = { kind: "local", holderName: "Ada Lovelace", country: "US" };
    expect(errorsOf({ ...base, routingNumber: "110000001", accountNumber: "000123456789" })["account.routingNumber"]).toEqual([
      "This routing number does not exist: check it for a typo.",
    ]);
    expect(errorsOf({ ...base, routingNumber: "1100", accountNumber: "000123456789" })["account.routingNumber"]?.[0]).toContain("9 digits");
    expect(errorsOf({ ...base, accountNumber: "000123456789" })["account.routingNumber"]?.[0]).toContain("9 digits");
    expect(errorsOf({ ...base, routingNumber: "110000000", accountNumber: "123" })["account.accountNumber"]?.[0]).toContain(
      "4 to 17 digits",
    );
    expect(errorsOf({ ...base, routingNumber: "110000000", accountNumber: "1".repeat(18) })["account.accountNumber"]?.[0]).toContain(
      "4 to 17 digits",
    );
    expect(errorsOf({ ...base, routingNumber: "110000000", accountNumber: "12AB5678" })["account.accountNumber"]?.[0]).toContain("digits");
  });

  it("takes 4 to 34 letters and digits elsewhere, from the listed countries only", () => {
    const base = { kind: "local", holderName: "Ada Lovelace" };
    expect(errorsOf({ ...base, country: "CA", accountNumber: "1234567" })).toEqual({});
    expect(errorsOf({ ...base, country: "JP", accountNumber: "12" })["account.accountNumber"]?.[0]).toContain("4 to 34");
    expect(errorsOf({ ...base, country: "SG", accountNumber: "1".repeat(35) })["account.accountNumber"]?.[0]).toContain("4 to 34");
    expect(errorsOf({ ...base, country: "DE", accountNumber: "1234567" })["account.country"]).toEqual(["Choose the bank's country."]);
  });

  it("asks for a fresh attempt without a proper key", () => {
    const parsed = saveBankAccountInput.safeParse({
      account: { kind: "iban", holderName: "Ada Lovelace", iban: "DE89370400440532013000" },
      idempotencyKey: "x",
    });
    expect(parsed.success).toBe(false);
  });
});
