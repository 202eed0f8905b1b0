import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createTestDatabase } from "@/db/testing/database";
import { payoutAccounts } from "@/db/schema/withdrawals";
import { createUser } from "@/server/testing/factories";
import { assertPayoutKeyConfigured, openBankNumber, parsePayoutKeys, type PayoutKeyring, sealBankNumber } from "./bank-box";
import { rotatePayoutKeys } from "./key-rotation";

const { db } = await createTestDatabase();
const key = () => randomBytes(32).toString("base64");
const number = JSON.stringify({ iban: "DE89370400440532013000" });

describe("the payout keyring", () => {
  it("reads versions and keys; the highest version seals", () => {
    const ring = parsePayoutKeys(`1:${key()},3:${key()}, 2:${key()}`);
    expect(ring.current).toBe(3);
    expect([...ring.keys.keys()].sort()).toEqual([1, 2, 3]);
  });

  it("refuses a version listed twice and keys that are not 32 bytes, saying which", () => {
    expect(() => parsePayoutKeys(`1:${key()},1:${key()}`)).toThrow("lists version 1 twice");
    expect(() => parsePayoutKeys(`2:${randomBytes(16).toString("base64")}`)).toThrow("version 2 is 16 bytes");
    expect(() => parsePayoutKeys("nonsense")).toThrow("<version>:<32 bytes in base64>");
  });

  it("stops production without a key, and lets development run on the derived one", () => {
    expect(() => assertPayoutKeyConfigured({ NODE_ENV: "production" })).toThrow("PAYOUT_ENCRYPTION_KEY is not set");
    expect(() => assertPayoutKeyConfigured({ NODE_ENV: "production", PAYOUT_ENCRYPTION_KEY: `1:${key()}` })).not.toThrow();
    expect(() => assertPayoutKeyConfigured({ NODE_ENV: "development" })).not.toThrow();
    expect(() => assertPayoutKeyConfigured({ NODE_ENV: "production", PAYOUT_ENCRYPTION_KEY: `1:${key()},1:${key()}` })).toThrow("twice");
  });
});

describe("sealing a bank number", () => {
  const ring = parsePayoutKeys(`1:${key()},2:${key()}`);

  it("opens what it sealed, under the current version, and never shows the number", async () => {
    const sealed = await sealBankNumber(number, ring);
    expect(sealed.keyVersion).toBe(2);
    expect(sealed.ciphertext).not.toContain("0532013000");
    expect(Buffer.from(sealed.ciphertext, "base64url").toString("latin1")).not.toContain("0532013000");
    expect(await openBankNumber(sealed.ciphertext, sealed.keyVersion, ring)).toBe(number);
    // A fresh IV each time: the same number never seals the same way twice.
    expect((await sealBankNumber(number, ring)).ciphertext).not.toBe(sealed.ciphertext);
  });

  it("refuses the wrong version, an unknown version, another keyring and a tampered box", async () => {
    const sealed = await sealBankNumber(number, ring);
    await expect(openBankNumber(sealed.ciphertext, 1, ring)).rejects.toThrow();
    await expect(openBankNumber(sealed.ciphertext, 7, ring)).rejects.toThrow("No payout key of version 7");
    await expect(openBankNumber(sealed.ciphertext, 2, parsePayoutKeys(`2:${key()}`))).rejects.toThrow();
    const box = Buffer.from(sealed.ciphertext, "base64url");
    box[box.length - 1]! ^= 1;
    await expect(openBankNumber(box.toString("base64url"), 2, ring)).rejects.toThrow();
    await expect(openBankNumber("short", 2, ring)).rejects.toThrow();
  });
});

describe("rotating the payout keys", () => {
  it("re-seals every row under an old version with the current key, in batches, and leaves current rows alone", async () => {
    const oldKey = key();
    const oldRing: PayoutKeyring = parsePayoutKeys(`1:${oldKey}`);
    const newRing: PayoutKeyring = parsePayoutKeys(`1:${oldKey},2:${key()}`);
    const numbers = new Map<string, string>();
    for (let i = 0; i < 5; i++) {
      const user = await createUser(db);
      const plain = JSON.stringify({ accountNumber: `00012345678${i}`, routingNumber: "110000000" });
      const sealed = await sealBankNumber(plain, i < 3 ? oldRing : newRing);
      const [row] = await db
        .insert(payoutAccounts)
        .values({
          userId: user.id,
          holderName: "Ada Lovelace",
          kind: "local",
          country: "US",
          last4: `678${i}`,
          numberCiphertext: sealed.ciphertext,
          keyVersion: sealed.keyVersion,
          gateway: "simulated",
          // The rotation covers closed accounts too.
          removedAt: i === 0 ? new Date() : null,
        })
        .returning();
      numbers.set(row!.id, plain);
    }
    const batches: number[] = [];
    const outcome = await rotatePayoutKeys(db, { keyring: newRing, batchSize: 2, onBatch: (done) => batches.push(done) });
    expect(outcome).toEqual({ resealed: 3, alreadyCurrent: 2, current: 2 });
    expect(batches).toEqual([2, 3]);
    for (const [id, plain] of numbers) {
      const [row] = await db.select().from(payoutAccounts).where(eq(payoutAccounts.id, id));
      expect(row!.keyVersion).toBe(2);
      expect(await openBankNumber(row!.numberCiphertext, 2, newRing)).toBe(plain);
    }
    // Once re-sealed, the old key may go.
    const onlyNew: PayoutKeyring = { current: 2, keys: new Map([[2, newRing.keys.get(2)!]]) };
    expect(await rotatePayoutKeys(db, { keyring: onlyNew })).toEqual({ resealed: 0, alreadyCurrent: 5, current: 2 });

    // A row under a version the keyring no longer has: refused before anything is changed.
    await expect(rotatePayoutKeys(db, { keyring: parsePayoutKeys(`3:${key()}`) })).rejects.toThrow("version 2 (5 rows)");
  });
});
