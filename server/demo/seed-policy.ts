/**
 * Whether a fresh database gets the demo data, and with which accounts. The demo accounts share a
 * password the README publishes, so production seeds nothing unless asked (AUTO_SEED=true), and
 * then never the admin account.
 */
export function demoSeedPlan(input: { nodeEnv: string | undefined; autoSeed: string | undefined; embedded: boolean }): {
  seed: boolean;
  admin: boolean;
} {
  if (input.autoSeed === "false") return { seed: false, admin: false };
  if (input.nodeEnv === "production") return input.autoSeed === "true" ? { seed: true, admin: false } : { seed: false, admin: false };
  return { seed: input.embedded || input.autoSeed === "true", admin: true };
}
