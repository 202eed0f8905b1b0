import { describe, expect, it } from "vitest";
import { demoSeedPlan } from "./seed-policy";

describe("demo data on a fresh database", () => {
  it("development seeds the embedded database unless AUTO_SEED=false", () => {
    expect(demoSeedPlan({ nodeEnv: "development", autoSeed: undefined, embedded: true })).toEqual({ seed: true, admin: true });
    expect(demoSeedPlan({ nodeEnv: "development", autoSeed: "false", embedded: true })).toEqual({ seed: false, admin: false });
    expect(demoSeedPlan({ nodeEnv: "development", autoSeed: undefined, embedded: false })).toEqual({ seed: false, admin: true });
  });

  it("production seeds nothing unless AUTO_SEED=true, and then never the admin with the published password", () => {
    expect(demoSeedPlan({ nodeEnv: "production", autoSeed: undefined, embedded: true })).toEqual({ seed: false, admin: false });
    expect(demoSeedPlan({ nodeEnv: "production", autoSeed: "true", embedded: true })).toEqual({ seed: true, admin: false });
    expect(demoSeedPlan({ nodeEnv: "production", autoSeed: "true", embedded: false })).toEqual({ seed: true, admin: false });
  });
});
