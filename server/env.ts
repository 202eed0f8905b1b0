import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z.url({ message: "DATABASE_URL must be a postgres:// URL" }).optional(),
  ),
  DATA_DIR: optionalString,
  AUTH_SECRET: optionalString,
  AUTH_TRUST_HOST: optionalString,
  AUTH_DISCORD_ID: optionalString,
  AUTH_DISCORD_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .optional(),
  AUTO_SEED: optionalString,
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  /** A Stripe-compatible server to talk to instead of Stripe's (tests, local mocks). */
  STRIPE_API_BASE: optionalString.pipe(z.url({ message: "STRIPE_API_BASE must be a URL" }).optional()),
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: optionalString,
  /** "false" keeps the job worker out of the web process (run `npm run worker` instead). */
  RUN_WORKER: optionalString,
  /** Outgoing mail server, e.g. smtp://user:pass@host:587. Unset: mail is written to $DATA_DIR/mail. */
  SMTP_URL: optionalString.pipe(
    z.url({ protocol: /^smtps?$/, message: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional(),
  ),
  /** Sender of Driftwood's emails. Unset: "Driftwood <no-reply@driftwood.local>". */
  MAIL_FROM: optionalString,
}).superRefine((value, ctx) => {
  if (value.STRIPE_SECRET_KEY && !value.STRIPE_WEBHOOK_SECRET) {
    ctx.addIssue({ code: "custom", path: ["STRIPE_WEBHOOK_SECRET"], message: "is required when STRIPE_SECRET_KEY is set" });
  }
});

export type Env = z.infer<typeof envSchema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env = parseEnv(process.env);

export const oauthProviders = {
  discord: Boolean(env.AUTH_DISCORD_ID && env.AUTH_DISCORD_SECRET),
  google: Boolean(env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET),
};
