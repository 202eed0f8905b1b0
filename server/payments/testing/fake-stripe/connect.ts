/**
 * Stripe Connect, the part payouts need: `/v1/accounts` (custom connected accounts), their bank
 * accounts (`/v1/accounts/:id/external_accounts`) and `/v1/transfers` from the platform to them,
 * which is the balance their payouts are made from, and their reversals.
 */
import {
  allowOnly,
  booleanParam,
  currencyParam,
  enumParam,
  integerParam,
  metadataParam,
  ParamError,
  required,
  stringParam,
  type Params,
} from "./params";
import { MAX_AMOUNT } from "./payment-intents";
import { failure, ok, type Reply } from "./replies";
import type { RequestContext, Route } from "./routes";
import {
  listPage,
  token,
  type FakeAccount,
  type FakeBankAccount,
  type FakeStripeStore,
  type FakeTransfer,
  type FakeTransferReversal,
} from "./store";

const ACCOUNT_TYPES = ["custom", "express", "standard"];
const BUSINESS_TYPES = ["individual", "company", "government_entity", "non_profit"];
const HOLDER_TYPES = ["individual", "company"];
/** The currency a country's bank accounts default to, for the countries tests use. */
const DEFAULT_CURRENCY: Record<string, string> = { US: "usd", GB: "gbp", CA: "cad", AU: "aud" };

export function noSuchAccount(id: string, param?: string): Reply {
  return failure(param ? 400 : 404, {
    type: "invalid_request_error",
    code: "resource_missing",
    ...(param ? { param } : {}),
    message: `No such account: '${id}'`,
  });
}

/** Connect objects are made by the platform; Stripe refuses them on a connected account's behalf. */
function platformOnly(context: RequestContext): Reply | null {
  if (context.account === null) return null;
  return failure(400, {
    type: "invalid_request_error",
    message: "This request must be made by the platform, without a Stripe-Account header (fake Stripe).",
  });
}

function objectParam(params: Params, name: string): Params {
  const value = required(params[name], name);
  if (typeof value === "string") throw new ParamError(`Invalid object: ${name}`, name);
  return value;
}

function countryParam(params: Params, label: string): string {
  const country = required(stringParam(params, "country", label), label).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country)) throw new ParamError(`Invalid country: ${country}`, label);
  return country;
}

export function connectRoutes(store: FakeStripeStore): Route[] {
  const { accounts, bankAccounts, transfers, unixNow } = store;

  function createAccount(params: Params, _id: string, context: RequestContext): Reply {
    allowOnly(params, ["type", "country", "email", "capabilities", "business_type", "metadata"]);
    const refusal = platformOnly(context);
    if (refusal) return refusal;
    const type = enumParam(params, "type", ACCOUNT_TYPES) ?? "custom";
    const country = params.country === undefined ? "US" : countryParam(params, "country");
    const capabilities: FakeAccount["capabilities"] = {};
    if (params.capabilities !== undefined) {
      const requested = objectParam(params, "capabilities");
      for (const [name, value] of Object.entries(requested)) {
        if (typeof value === "string") throw new ParamError(`Invalid object: capabilities[${name}]`, `capabilities[${name}]`);
        allowOnly(value, ["requested"], `capabilities[${name}]`);
        const on = booleanParam(value, "requested", `capabilities[${name}][requested]`);
        capabilities[name] = on ? "active" : "inactive";
      }
    }
    if (type === "custom" && capabilities.transfers !== "active") {
      throw new ParamError("Custom accounts must request the transfers capability.", "capabilities", "parameter_missing");
    }
    const account: FakeAccount = {
      id: `acct_fake_${token().slice(0, 16)}`,
      object: "account",
      type,
      country,
      email: stringParam(params, "email") ?? null,
      business_type: enumParam(params, "business_type", BUSINESS_TYPES) ?? null,
      capabilities,
      default_currency: DEFAULT_CURRENCY[country] ?? "eur",
      metadata: metadataParam(params),
      payouts_enabled: true,
      requirements: { currently_due: [] },
      created: unixNow(),
      livemode: false,
    };
    accounts.set(account.id, { seq: store.nextSeq(), object: account });
    return ok(account);
  }

  function createExternalAccount(params: Params, accountId: string, context: RequestContext): Reply {
    allowOnly(params, ["external_account", "metadata", "default_for_currency"]);
    const refusal = platformOnly(context);
    if (refusal) return refusal;
    const details = objectParam(params, "external_account");
    allowOnly(
      details,
      ["object", "country", "currency", "account_holder_name", "account_holder_type", "account_number", "routing_number"],
      "external_account",
    );
    if (required(stringParam(details, "object", "external_account[object]"), "external_account[object]") !== "bank_account") {
      throw new ParamError("Only bank accounts are supported by the fake Stripe.", "external_account[object]");
    }
    const country = countryParam(details, "external_account[country]");
    const number = required(stringParam(details, "account_number", "external_account[account_number]"), "external_account[account_number]");
    const routing = stringParam(details, "routing_number", "external_account[routing_number]") ?? null;
    const isIban = /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(number);
    if (!isIban && !/^\d{4,17}$/.test(number)) throw new ParamError("Invalid account number.", "external_account[account_number]");
    if (!isIban && routing === null) {
      throw new ParamError(
        "Missing required param: external_account[routing_number].",
        "external_account[routing_number]",
        "parameter_missing",
      );
    }
    const currencyText = stringParam(details, "currency", "external_account[currency]");
    const currency = currencyText === undefined ? undefined : currencyParam({ currency: currencyText });
    const account = accounts.get(accountId)?.object;
    if (!account) return noSuchAccount(accountId);
    const bankAccount: FakeBankAccount = {
      id: `ba_fake_${token()}`,
      object: "bank_account",
      account: account.id,
      account_holder_name: stringParam(details, "account_holder_name", "external_account[account_holder_name]") ?? null,
      account_holder_type: enumParam(details, "account_holder_type", HOLDER_TYPES) ?? null,
      bank_name: "STRIPE TEST BANK",
      country,
      currency: currency ?? DEFAULT_CURRENCY[country] ?? "eur",
      last4: number.slice(-4),
      routing_number: routing,
      status: "new",
      default_for_currency: booleanParam(params, "default_for_currency") ?? true,
      metadata: metadataParam(params),
    };
    bankAccounts.set(bankAccount.id, { seq: store.nextSeq(), object: bankAccount });
    return ok(bankAccount);
  }

  function createTransfer(params: Params, _id: string, context: RequestContext): Reply {
    allowOnly(params, ["amount", "currency", "destination", "metadata", "description", "transfer_group"]);
    const refusal = platformOnly(context);
    if (refusal) return refusal;
    const amount = required(integerParam(params, "amount", 1, MAX_AMOUNT), "amount");
    const currency = currencyParam(params);
    const destination = required(stringParam(params, "destination"), "destination");
    const metadata = metadataParam(params);
    if (!accounts.has(destination)) return noSuchAccount(destination, "destination");
    // The platform's own balance is not modelled: it always has enough to transfer.
    const transfer: FakeTransfer = {
      id: `tr_fake_${token()}`,
      object: "transfer",
      amount,
      currency,
      destination,
      metadata,
      amount_reversed: 0,
      reversed: false,
      created: unixNow(),
      livemode: false,
    };
    transfers.set(transfer.id, { seq: store.nextSeq(), object: transfer });
    store.addBalance(destination, currency, amount);
    return ok(transfer);
  }

  /** Takes (part of) a transfer back from the connected account's balance to the platform. */
  function reverseTransfer(params: Params, transferId: string, context: RequestContext): Reply {
    allowOnly(params, ["amount", "metadata", "description"]);
    const requested = integerParam(params, "amount", 1, MAX_AMOUNT);
    const metadata = metadataParam(params);
    const refusal = platformOnly(context);
    if (refusal) return refusal;
    const transfer = transfers.get(transferId)?.object;
    if (!transfer) {
      return failure(404, {
        type: "invalid_request_error",
        code: "resource_missing",
        param: "id",
        message: `No such transfer: '${transferId}'`,
      });
    }
    const left = transfer.amount - transfer.amount_reversed;
    const amount = requested ?? left;
    if (amount === 0 || amount > left) {
      return failure(400, {
        type: "invalid_request_error",
        param: "amount",
        message: `You cannot reverse ${amount} of transfer ${transfer.id}: ${left} is left to reverse.`,
      });
    }
    if (store.balanceOf(transfer.destination, transfer.currency) < amount) {
      return failure(400, {
        type: "invalid_request_error",
        code: "balance_insufficient",
        message: "The connected account's balance is too low to reverse this transfer.",
      });
    }
    transfer.amount_reversed += amount;
    transfer.reversed = transfer.amount_reversed === transfer.amount;
    store.addBalance(transfer.destination, transfer.currency, -amount);
    const reversal: FakeTransferReversal = {
      id: `trr_fake_${token()}`,
      object: "transfer_reversal",
      amount,
      currency: transfer.currency,
      transfer: transfer.id,
      metadata,
      created: unixNow(),
    };
    return ok(reversal);
  }

  function listTransfers(params: Params): Reply {
    allowOnly(params, ["created", "limit", "starting_after", "destination"]);
    const destination = stringParam(params, "destination");
    return listPage(transfers, params, "/v1/transfers", (transfer) => destination === undefined || transfer.destination === destination);
  }

  function retrieveAccount(_params: Params, accountId: string): Reply {
    const account = accounts.get(accountId)?.object;
    return account ? ok(account) : noSuchAccount(accountId);
  }

  /** Stripe-hosted onboarding: a link the player follows to give the identity details Stripe asks for. */
  function createAccountLink(params: Params, _id: string, context: RequestContext): Reply {
    allowOnly(params, ["account", "refresh_url", "return_url", "type", "collect"]);
    const refusal = platformOnly(context);
    if (refusal) return refusal;
    const accountId = required(stringParam(params, "account"), "account");
    const returnUrl = required(stringParam(params, "return_url"), "return_url");
    const refreshUrl = required(stringParam(params, "refresh_url"), "refresh_url");
    enumParam(params, "type", ["account_onboarding", "account_update"]);
    for (const [name, url] of [
      ["return_url", returnUrl],
      ["refresh_url", refreshUrl],
    ] as const) {
      if (!/^https?:\/\//.test(url)) throw new ParamError(`Invalid URL: ${name}`, name);
    }
    if (!accounts.has(accountId)) return noSuchAccount(accountId, "account");
    const created = unixNow();
    return ok({
      object: "account_link",
      url: `https://connect.stripe.test/setup/c/${accountId}/${token().slice(0, 12)}`,
      created,
      expires_at: created + 300,
    });
  }

  return [
    { method: "POST", path: /^\/v1\/account_links$/, handler: createAccountLink },
    { method: "GET", path: /^\/v1\/accounts\/([^/]+)$/, handler: retrieveAccount },
    { method: "POST", path: /^\/v1\/accounts$/, handler: createAccount },
    { method: "POST", path: /^\/v1\/accounts\/([^/]+)\/external_accounts$/, handler: createExternalAccount },
    { method: "POST", path: /^\/v1\/transfers$/, handler: createTransfer },
    { method: "GET", path: /^\/v1\/transfers$/, handler: listTransfers },
    { method: "POST", path: /^\/v1\/transfers\/([^/]+)\/reversals$/, handler: reverseTransfer },
  ];
}

/** Stripe asks for identity details before it lets the account's money out (a test turns this on). */
export function requireVerification(store: FakeStripeStore, accountId: string, due: string[] = ["individual.verification.document"]): void {
  const account = store.accounts.get(accountId)?.object;
  if (!account) throw new Error(`fake Stripe: no account ${accountId}`);
  account.payouts_enabled = due.length === 0;
  account.requirements = { currently_due: due };
}
