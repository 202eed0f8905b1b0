// Browser-safe: loaded by client components; imports nothing server-only.
import { electronicFormatIBAN, isSEPACountry, ValidationErrorsIBAN, validateIBAN } from "ibantools";
import { z } from "zod";

/**
 * The bank account form's input, shared by the page and the server: an IBAN (the SEPA area), or a
 * local account number (with a routing number in the United States).
 */

/** Countries paid to a local account number rather than an IBAN (the select on the form). */
export const LOCAL_ACCOUNT_COUNTRIES = [
  { code: "US", name: "United States" },
  { code: "CA", name: "Canada" },
  { code: "AU", name: "Australia" },
  { code: "NZ", name: "New Zealand" },
  { code: "JP", name: "Japan" },
  { code: "SG", name: "Singapore" },
  { code: "HK", name: "Hong Kong" },
  { code: "MX", name: "Mexico" },
  { code: "BR", name: "Brazil" },
  { code: "IN", name: "India" },
] as const;
const localCountryCodes = LOCAL_ACCOUNT_COUNTRIES.map((country) => country.code) as [LocalAccountCountry, ...LocalAccountCountry[]];
export type LocalAccountCountry = (typeof LOCAL_ACCOUNT_COUNTRIES)[number]["code"];

/**
 * A holder's name as a bank has it: letters of any script (with their accents), single spaces,
 * and apostrophes or hyphens inside a name (O'Brien, Jean-Luc, N’Diaye); no digits or other signs.
 */
const NAME_SHAPE = /^[\p{L}\p{M}]+(?:(?: |['’-])[\p{L}\p{M}]+)*$/u;

export const holderNameSchema = z
  .string({ message: "Enter the account holder's name." })
  .max(200, "The name can be at most 70 characters long.")
  .transform((value) => value.normalize("NFC").trim().replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .min(2, "Enter the account holder's full name, as your bank has it.")
      .max(70, "The name can be at most 70 characters long.")
      .regex(NAME_SHAPE, "Use only letters and spaces (an apostrophe or a hyphen inside a name is fine), as your bank has it."),
  );

/** The ABA check: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10 (ibantools has no US routing check). */
export function isValidRoutingNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const sum = 3 * (d[0]! + d[3]! + d[6]!) + 7 * (d[1]! + d[4]! + d[7]!) + (d[2]! + d[5]! + d[8]!);
  return sum % 10 === 0;
}

/** What is wrong with an IBAN (already in electronic format), in a player's words, or null when nothing is. */
export function ibanProblem(iban: string): string | null {
  if (!iban) return "Enter your IBAN.";
  const country = iban.slice(0, 2);
  const { valid, errorCodes } = validateIBAN(iban);
  if (!valid) {
    if (errorCodes.includes(ValidationErrorsIBAN.NoIBANCountry)) return "An IBAN starts with two letters for the country, like DE or FR.";
    if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANLength)) {
      return `This IBAN has the wrong number of characters for ${country}: check it against your bank statement.`;
    }
    if (errorCodes.includes(ValidationErrorsIBAN.WrongBBANFormat)) {
      return `This is not how an IBAN from ${country} looks: check for a mistyped letter or digit.`;
    }
    return "This IBAN has a typo: its check digits do not match. Check it against your bank statement.";
  }
  if (!isSEPACountry(country)) {
    return "We pay out by IBAN only to banks in the SEPA area (the EU, the UK, Switzerland, Norway…). Choose Account number instead.";
  }
  return null;
}

/** Spaces and hyphens people type in account numbers are dropped; letters are upper-cased. */
const compact = (value: string) => value.replace(/[\s-]/g, "").toUpperCase();

const ibanAccount = z.object({
  kind: z.literal("iban"),
  holderName: holderNameSchema,
  iban: z
    .string({ message: "Enter your IBAN." })
    .max(64, "An IBAN has at most 34 characters.")
    .transform((value) => electronicFormatIBAN(value) ?? "")
    .superRefine((iban, context) => {
      const problem = ibanProblem(iban);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
});

const localAccount = z
  .object({
    kind: z.literal("local"),
    holderName: holderNameSchema,
    country: z.enum(localCountryCodes, { message: "Choose the bank's country." }),
    accountNumber: z.string({ message: "Enter the account number." }).max(64, "That account number is too long.").transform(compact),
    routingNumber: z.string().max(64, "That routing number is too long.").transform(compact).optional(),
  })
  .superRefine((account, context) => {
    const at = (path: "accountNumber" | "routingNumber", message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (account.country === "US") {
      if (!/^\d{4,17}$/.test(account.accountNumber)) at("accountNumber", "A US account number has 4 to 17 digits.");
      const routing = account.routingNumber ?? "";
      if (!/^\d{9}$/.test(routing)) at("routingNumber", "A US routing number has 9 digits: find it on a cheque or in your bank's app.");
      else if (!isValidRoutingNumber(routing)) at("routingNumber", "This routing number does not exist: check it for a typo.");
    } else {
      if (!/^[0-9A-Z]{4,34}$/.test(account.accountNumber)) at("accountNumber", "An account number has 4 to 34 letters and digits.");
      if (account.routingNumber && !/^[0-9A-Z]{1,15}$/.test(account.routingNumber)) {
        at("routingNumber", "A bank code has at most 15 letters and digits.");
      }
    }
  });

export const bankAccountInput = z.discriminatedUnion("kind", [ibanAccount, localAccount], {
  message: "Choose IBAN or account number.",
});

export const saveBankAccountInput = z.object({
  account: bankAccountInput,
  /** One per attempt, made by the browser: a retry or a double click saves the account once. */
  idempotencyKey: z.uuid({ message: "Refresh the page and try again." }),
});
export type SaveBankAccountInput = z.output<typeof saveBankAccountInput>;
export type BankAccountInput = z.output<typeof bankAccountInput>;
