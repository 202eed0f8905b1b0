import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BankAccountDetails, GatewayRequestError, type GatewayPayout, type PaymentGateway, WebhookSignatureError } from "./gateway";
import { createStripeGateway } from "./stripe-gateway";
import { payoutFromWire } from "./stripe-shapes";
import { startFakeStripe, type FakeStripe } from "./testing/fake-stripe-server";

let fake: FakeStripe;
let gateway: PaymentGateway;
/** The SDK itself, for what the gateway never does (a payout without its transfer). */
let sdk: Stripe;
/** Shifts the fake server's clock, to create objects that are older than a listing's start. */
let clockOffsetMs = 0;
const WEBHOOK_SECRET = "whsec_payouts_test";

beforeAll(async () => {
  fake = await startFakeStripe({ now: () => Date.now() + clockOffsetMs });
  gateway = createStripeGateway({
    secretKey: "sk_test_fake",
    webhookSecret: WEBHOOK_SECRET,
    host: "127.0.0.1",
    port: fake.port,
    protocol: "http",
  });
  sdk = new Stripe("sk_test_fake", { host: "127.0.0.1", port: fake.port, protocol: "http", maxNetworkRetries: 0, telemetry: false });
});

afterAll(async () => {
  await fake?.stop();
});

const key = () => crypto.randomUUID();
const US_ACCOUNT: BankAccountDetails = {
  holderName: "Rin Tezuka",
  country: "US",
  currency: "usd",
  accountNumber: "000123456789",
  routingNumber: "110000000",
};
const GERMAN_IBAN: BankAccountDetails = { holderName: "Rin Tezuka", country: "DE", currency: "eur", iban: "DE89370400440532013000" };

function register(
  input: { userId?: string; connectedAccountId?: string | null; details?: BankAccountDetails; idempotencyKey?: string } = {},
) {
  return gateway.registerBankAccount({
    userId: input.userId ?? key(),
    email: "rin@example.test",
    connectedAccountId: input.connectedAccountId ?? null,
    details: input.details ?? US_ACCOUNT,
    idempotencyKey: input.idempotencyKey ?? key(),
  });
}

async function pay(
  account: { connectedAccountId: string | null; externalAccountId: string },
  input: { amount?: number; currency?: string; idempotencyKey?: string; metadata?: Record<string, string> } = {},
) {
  return gateway.createPayout({
    amount: input.amount ?? 2_500,
    currency: input.currency ?? "usd",
    connectedAccountId: account.connectedAccountId,
    externalAccountId: account.externalAccountId,
    idempotencyKey: input.idempotencyKey ?? key(),
    metadata: input.metadata ?? { withdrawalId: key() },
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (error: unknown) => error,
  );
}

async function kindOf(promise: Promise<unknown>) {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(GatewayRequestError);
  return (error as GatewayRequestError).kind;
}

describe("Stripe bank accounts (Connect)", () => {
  it("creates the player's custom connected account, then the bank account on it, once per key", async () => {
    const userId = key();
    const idempotencyKey = key();

    const first = await register({ userId, idempotencyKey });
    const again = await register({ userId, idempotencyKey });

    expect(first).toEqual({
      connectedAccountId: expect.stringMatching(/^acct_fake_/),
      externalAccountId: expect.stringMatching(/^ba_fake_/),
      bankName: "STRIPE TEST BANK",
      last4: "6789",
    });
    expect(again).toEqual(first);
    const accounts = fake.accounts().filter((account) => account.metadata.userId === userId);
    expect(accounts).toEqual([
      expect.objectContaining({
        id: first.connectedAccountId,
        type: "custom",
        country: "US",
        email: "rin@example.test",
        business_type: "individual",
        capabilities: { transfers: "active" },
      }),
    ]);
    const banks = fake.bankAccounts().filter((bank) => bank.account === first.connectedAccountId);
    expect(banks).toEqual([
      expect.objectContaining({
        id: first.externalAccountId,
        country: "US",
        currency: "usd",
        account_holder_name: "Rin Tezuka",
        routing_number: "110000000",
        metadata: { userId },
      }),
    ]);
  });

  it("adds a bank account to an existing connected account without creating another; an IBAN needs no routing number", async () => {
    const userId = key();
    const first = await register({ userId });
    const accountsBefore = fake.accounts().length;

    const iban = await register({ userId, connectedAccountId: first.connectedAccountId, details: GERMAN_IBAN });

    expect(iban).toMatchObject({ connectedAccountId: first.connectedAccountId, last4: "3000" });
    expect(iban.externalAccountId).not.toBe(first.externalAccountId);
    expect(fake.accounts()).toHaveLength(accountsBefore);
    expect(fake.bankAccounts().find((bank) => bank.id === iban.externalAccountId)).toMatchObject({
      country: "DE",
      currency: "eur",
      routing_number: null,
    });
  });

  it("refuses a bank account on an account Stripe does not know", async () => {
    expect(await kindOf(register({ connectedAccountId: "acct_fake_nobody" }))).toBe("invalid_request");
  });
});

describe("Stripe payouts", () => {
  it("transfers to the connected account once, then pays out from it once, however often it is asked with one key", async () => {
    const account = await register();
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };

    const first = await pay(account, { idempotencyKey, metadata });
    const replay = await pay(account, { idempotencyKey, metadata });

    expect(first).toEqual({
      id: expect.stringMatching(/^po_fake_/),
      amount: 2_500,
      currency: "usd",
      status: "pending",
      destination: account.externalAccountId,
      connectedAccountId: account.connectedAccountId,
      metadata,
      failureMessage: null,
      arrivalDate: expect.any(Number),
      created: expect.any(Number),
    });
    expect(replay).toEqual(first);
    expect(fake.transfers().filter((transfer) => transfer.destination === account.connectedAccountId)).toEqual([
      expect.objectContaining({ amount: 2_500, currency: "usd", metadata }),
    ]);
    // Made on the connected account (its Stripe-Account), out of the transferred balance.
    expect(fake.payouts().filter(({ payout }) => payout.metadata.withdrawalId === metadata.withdrawalId)).toEqual([
      { account: account.connectedAccountId, payout: expect.objectContaining({ id: first.id, destination: account.externalAccountId }) },
    ]);
    expect(fake.balance(account.connectedAccountId!, "usd")).toBe(0);
  });

  it("refuses the same key with another amount, and creates nothing more", async () => {
    const account = await register();
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };
    await pay(account, { idempotencyKey, metadata, amount: 1_000 });
    const counts = () => [fake.transfers().length, fake.payouts().length];
    const before = counts();

    expect(await kindOf(pay(account, { idempotencyKey, metadata, amount: 1_001 }))).toBe("idempotency");
    expect(counts()).toEqual(before);
  });

  it("refuses an unknown destination, an unknown connected account and a bank account without one", async () => {
    const account = await register();
    const payoutsBefore = fake.payouts().length;
    const idempotencyKey = key();
    const metadata = { withdrawalId: key() };

    const unknownBank = await refusal(pay({ ...account, externalAccountId: "ba_fake_nobody" }, { idempotencyKey, metadata }));
    expect(unknownBank).toBeInstanceOf(GatewayRequestError);
    expect(unknownBank).toMatchObject({ kind: "invalid_request", message: expect.stringMatching(/No such external account/) });
    // The refused payout's transfer came back to the platform, once, however often the payout is retried.
    expect(await kindOf(pay({ ...account, externalAccountId: "ba_fake_nobody" }, { idempotencyKey, metadata }))).toBe("invalid_request");
    expect(fake.transfers().filter((transfer) => transfer.destination === account.connectedAccountId)).toEqual([
      expect.objectContaining({ amount: 2_500, amount_reversed: 2_500, reversed: true }),
    ]);
    expect(fake.balance(account.connectedAccountId!, "usd")).toBe(0);
    expect(await kindOf(pay({ connectedAccountId: "acct_fake_nobody", externalAccountId: account.externalAccountId }))).toBe(
      "invalid_request",
    );
    expect(await kindOf(pay({ connectedAccountId: null, externalAccountId: account.externalAccountId }))).toBe("invalid_request");
    expect(fake.payouts()).toHaveLength(payoutsBefore);
  });

  it("a payout beyond the connected account's transferred balance is refused as balance_insufficient", async () => {
    const account = await register();
    await pay(account, { amount: 3_000 });
    await sdk.transfers.create({ amount: 500, currency: "usd", destination: account.connectedAccountId! });

    const beyond = await refusal(
      sdk.payouts.create(
        { amount: 501, currency: "usd", destination: account.externalAccountId },
        { stripeAccount: account.connectedAccountId!, idempotencyKey: key() },
      ),
    );
    expect(beyond).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(beyond).toMatchObject({ code: "balance_insufficient" });
    const within = await sdk.payouts.create(
      { amount: 500, currency: "usd", destination: account.externalAccountId },
      { stripeAccount: account.connectedAccountId! },
    );
    expect(within.status).toBe("pending");
    expect(fake.balance(account.connectedAccountId!, "usd")).toBe(0);
  });

  it("scopes idempotency keys to the connected account, as Stripe does", async () => {
    const [a, b] = [await register(), await register()];
    await sdk.transfers.create({ amount: 1_000, currency: "usd", destination: a.connectedAccountId! });
    await sdk.transfers.create({ amount: 1_000, currency: "usd", destination: b.connectedAccountId! });
    const idempotencyKey = key();

    const onA = await sdk.payouts.create(
      { amount: 1_000, currency: "usd", destination: a.externalAccountId },
      { stripeAccount: a.connectedAccountId!, idempotencyKey },
    );
    const onB = await sdk.payouts.create(
      { amount: 1_000, currency: "usd", destination: b.externalAccountId },
      { stripeAccount: b.connectedAccountId!, idempotencyKey },
    );

    expect(onB.id).not.toBe(onA.id);
    expect(
      fake
        .payouts()
        .filter(({ payout }) => [onA.id, onB.id].includes(payout.id))
        .map(({ account }) => account),
    ).toEqual([a.connectedAccountId, b.connectedAccountId]);
  });

  it("retrieves a payout on its connected account as the bank moves it, and null elsewhere", async () => {
    const account = await register();
    const other = await register();
    const sent = await pay(account);

    fake.payPayout(sent.id);
    expect(await gateway.retrievePayout(sent.id, account.connectedAccountId)).toEqual({ ...sent, status: "paid" });
    fake.failPayout(sent.id, "The bank account has been closed.");
    expect(await gateway.retrievePayout(sent.id, account.connectedAccountId)).toEqual({
      ...sent,
      status: "failed",
      failureMessage: "The bank account has been closed.",
    });
    expect(fake.balance(account.connectedAccountId!, "usd")).toBe(sent.amount);

    expect(await gateway.retrievePayout(sent.id, other.connectedAccountId)).toBeNull();
    expect(await gateway.retrievePayout("po_fake_nothing", account.connectedAccountId)).toBeNull();
  });

  it("lists the payouts since a moment from the connected accounts asked about, newest first, across pages", async () => {
    const [a, b, notAsked] = [await register(), await register(), await register()];
    clockOffsetMs = -2 * 3_600_000;
    const old = await pay(a).finally(() => {
      clockOffsetMs = 0;
    });
    const since = new Date(Date.now() - 1_000);
    const sent: GatewayPayout[] = [];
    for (let i = 0; i < 102; i++) sent.push(await pay(a, { amount: 100 + i }));
    sent.push(await pay(b, { amount: 5_000 }));
    await pay(notAsked);

    const requestsBefore = fake.requestCount();
    const listed = await collect(
      gateway.listPayouts({ createdAfter: since, connectedAccountIds: [a.connectedAccountId!, b.connectedAccountId!] }),
    );
    const requests = fake.requestCount() - requestsBefore;

    expect(new Set(listed.map((payout) => payout.id))).toEqual(new Set(sent.map((payout) => payout.id)));
    expect(listed.map((payout) => payout.created)).toEqual([...listed.map((payout) => payout.created)].sort((x, y) => y - x));
    expect(listed.find((payout) => payout.id === sent.at(-1)!.id)).toMatchObject({ connectedAccountId: b.connectedAccountId });
    expect(listed.filter((payout) => payout.connectedAccountId === a.connectedAccountId)).toHaveLength(102);
    expect(listed.map((payout) => payout.id)).not.toContain(old.id);
    // Two pages for the first account, one for the second.
    expect(requests).toBe(3);
  });
});

describe("payout webhooks from a connected account", () => {
  it("keep the account the event names, so the payout parses with it", async () => {
    const account = await register();
    const sent = await pay(account);
    fake.failPayout(sent.id, "The bank account could not be found.", "no_account");
    const payload = JSON.stringify(fake.payoutEvent(sent.id));

    const event = gateway.constructEvent(payload, Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }));

    expect(event).toMatchObject({ type: "payout.failed", account: account.connectedAccountId });
    expect(payoutFromWire(event.data.object, event.account)).toEqual({
      ...sent,
      status: "failed",
      failureMessage: "The bank account could not be found.",
    });
  });
});

describe("a Connect endpoint's own signing secret", () => {
  it("verifies with either secret when both are configured, and with no other", async () => {
    const connectSecret = "whsec_connect_endpoint";
    const both = createStripeGateway({
      secretKey: "sk_test_fake",
      webhookSecret: WEBHOOK_SECRET,
      connectWebhookSecret: connectSecret,
      host: "127.0.0.1",
      port: fake.port,
      protocol: "http",
    });
    const account = await register();
    const sent = await pay(account);
    const payload = JSON.stringify(fake.payoutEvent(sent.id));
    const signed = (secret: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret });
    expect(both.constructEvent(payload, signed(connectSecret)).account).toBe(account.connectedAccountId);
    expect(both.constructEvent(payload, signed(WEBHOOK_SECRET)).type).toBe("payout.created");
    expect(() => both.constructEvent(payload, signed("whsec_someone_else"))).toThrow(WebhookSignatureError);
    // Without it, the Connect endpoint's signature does not verify.
    expect(() => gateway.constructEvent(payload, signed(connectSecret))).toThrow(WebhookSignatureError);
  });
});

describe("identity checks before payouts (Stripe's hosted onboarding)", () => {
  const links = { returnUrl: "http://127.0.0.1:3000/wallet/bank?verified=1", refreshUrl: "http://127.0.0.1:3000/wallet/bank" };

  it("an account Stripe lets pay out needs nothing; one with details due gets a link, and its payouts are refused until they are given", async () => {
    const account = await register();
    expect(await gateway.payoutReadiness({ connectedAccountId: account.connectedAccountId, ...links })).toEqual({
      payoutsEnabled: true,
      due: [],
      verificationUrl: null,
    });
    fake.requireVerification(account.connectedAccountId!);
    const due = await gateway.payoutReadiness({ connectedAccountId: account.connectedAccountId, ...links });
    expect(due).toMatchObject({ payoutsEnabled: false, due: ["individual.verification.document"] });
    expect(due.verificationUrl).toMatch(new RegExp(`^https://connect\\.stripe\\.test/setup/c/${account.connectedAccountId}/`));
    await expect(pay(account)).rejects.toMatchObject({
      kind: "invalid_request",
      message: expect.stringMatching(/Payouts have been disabled/),
    });
    fake.requireVerification(account.connectedAccountId!, []);
    expect((await gateway.payoutReadiness({ connectedAccountId: account.connectedAccountId, ...links })).payoutsEnabled).toBe(true);
    expect((await pay(account)).status).toBe("pending");
  });

  it("no connected account yet: not ready, and no link to follow", async () => {
    expect(await gateway.payoutReadiness({ connectedAccountId: null, ...links })).toEqual({
      payoutsEnabled: false,
      due: ["external_account"],
      verificationUrl: null,
    });
  });
});
