import { describe, expect, it, vi } from "vitest";
import { Internal } from "./errors";
import { globalRegistry } from "./registry";

const freshKey = () => `driftwoodTestRegistry${crypto.randomUUID().replaceAll("-", "")}` as const;

describe("global registries", () => {
  it("fail a lookup before anything was registered loudly: an Internal error naming the key and the composition root", () => {
    const registry = globalRegistry<string, number>(freshKey(), "test purpose");
    expect(() => registry.get("refund_everything")).toThrow(Internal);
    expect(() => registry.get("refund_everything")).toThrow(
      /Nothing is registered for the test purpose "refund_everything": the composition root \(server\/composition\.ts\) was not loaded/,
    );
    expect(registry.keys()).toEqual([]);
  });

  it("are one table per process: another copy of the module, as another Next.js chunk holds, sees what this one registered", async () => {
    const key = freshKey();
    globalRegistry<string, string>(key, "test purpose").register("topup", "hooks");
    vi.resetModules();
    const copy = await import("./registry");
    expect(copy.globalRegistry).not.toBe(globalRegistry);
    expect(copy.globalRegistry<string, string>(key, "test purpose").get("topup")).toBe("hooks");
    expect((globalThis as Record<string, unknown>)[key]).toBeInstanceOf(Map);
  });

  it("replace an entry registered again (the composition runs once per chunk that imports it, and on hot reload)", () => {
    const registry = globalRegistry<string, number>(freshKey(), "test purpose");
    registry.register("a", 1);
    registry.register("a", 2);
    expect(registry.get("a")).toBe(2);
    expect(registry.keys()).toEqual(["a"]);
  });
});
