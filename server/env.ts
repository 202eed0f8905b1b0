import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

/** An amount like 10.00 or 5000 (in the platform currency), as cents. */
function moneyString(name: string) {
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,9}(\.\d{1,2})?$/, `${name} must be an amount like 10.00`)
      .transform((value) => Math.round(Number(value) * 100))
      .optional(),
  );
}

function wholeNumber(name: string) {
  return optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,6}$/, `${name} must be a whole number`)
      .transform(Number)
      .optional(),
  );
}

/** Every variable the app reads; exported for tests that check generated configuration against it. */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: optionalString.pipe(z.url({ message: "DATABASE_URL must be a postgres:// URL" }).optional()),
    DATA_DIR: optionalString,
    AUTH_SECRET: optionalString,
    AUTH_TRUST_HOST: optionalString,
    /**
     * The app's public address (Auth.js reads it too). Links in emails (password reset, email
     * verification) start with its origin. Unset: http://localhost:3000, fine for local development
     * only; production must set it (a link is never built from a request's Host header, which a
     * client chooses).
     */
    AUTH_URL: optionalString.pipe(z.url({ message: "AUTH_URL must be a URL, like https://driftwood.example.com" }).optional()),
    AUTH_DISCORD_ID: optionalString,
    AUTH_DISCORD_SECRET: optionalString,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    AUTO_SEED: optionalString,
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    /**
     * The signing secret of a Connect webhook endpoint (events on players' connected accounts:
     * payouts). Unset: only STRIPE_WEBHOOK_SECRET is tried, enough when one endpoint receives both.
     */
    STRIPE_CONNECT_WEBHOOK_SECRET: optionalString,
    /** A Stripe-compatible server to talk to instead of Stripe's (tests, local mocks). */
    STRIPE_API_BASE: optionalString.pipe(z.url({ message: "STRIPE_API_BASE must be a URL" }).optional()),
    NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: optionalString,
    /**
     * The platform's cut, in percent, of the entry fees an event's organizer keeps (the fees not
     * promised to prizes), fixed on each event when it is created. Unset: 5.
     */
    PLATFORM_FEE_PERCENT: optionalString.pipe(
      z
        .string()
        .regex(/^(100|[1-9]?[0-9])$/, "PLATFORM_FEE_PERCENT must be a whole number from 0 to 100")
        .transform(Number)
        .optional(),
    ),
    /**
     * How many proxies of your own (load balancer, CDN, ingress) stand in front of Driftwood and
     * append the address they saw to X-Forwarded-For. Per-address limits then use the address that
     * many entries left of the connection's. Unset or 0: the connection's own address, and any
     * X-Forwarded-For a client sends is ignored.
     */
    TRUSTED_PROXY_HOPS: optionalString
      .pipe(
        z
          .string()
          .regex(/^[0-9]$/, "TRUSTED_PROXY_HOPS must be a whole number from 0 to 9")
          .transform(Number)
          .optional(),
      )
      .transform((value) => value ?? 0),
    /**
     * A bearer token for /api/metrics (`Authorization: Bearer <token>`), for a scraper on another
     * machine. Unset: /api/metrics answers only clients on the server's own machine.
     */
    METRICS_TOKEN: optionalString,
    /**
     * A port on which `npm run worker` serves its own /metrics (job counters live in its process),
     * under the same rule as /api/metrics. Unset: the separate worker serves no metrics.
     */
    WORKER_METRICS_PORT: optionalString.pipe(
      z
        .string()
        .regex(/^[1-9][0-9]{0,4}$/, "WORKER_METRICS_PORT must be a port number")
        .transform(Number)
        .optional(),
    ),
    /**
     * An OpenTelemetry collector's OTLP/HTTP address (e.g. http://otel-collector:4318): traces of
     * requests, procedures, statements, jobs and gateway calls are sent there. Unset: no tracing.
     * The SDK also reads OTEL_EXPORTER_OTLP_HEADERS, OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
     */
    OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url({ message: "OTEL_EXPORTER_OTLP_ENDPOINT must be a URL" }).optional()),
    OTEL_EXPORTER_OTLP_HEADERS: optionalString,
    OTEL_SERVICE_NAME: optionalString,
    OTEL_RESOURCE_ATTRIBUTES: optionalString,
    /** The share of new traces kept, 0 to 1. Unset: every trace. */
    OTEL_TRACES_SAMPLER_ARG: optionalString.pipe(
      z
        .string()
        .regex(/^(0(\.[0-9]+)?|1(\.0+)?)$/, "OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1")
        .transform(Number)
        .optional(),
    ),
    /**
     * Keys that encrypt payout bank account numbers (AES-256-GCM), as `<version>:<32 bytes in
     * base64>`, comma-separated; the highest version encrypts new numbers and every listed version
     * still decrypts, so keys rotate by adding one. Make one with
     * `node -e "console.log('1:' + crypto.randomBytes(32).toString('base64'))"`.
     * Unset: a key derived from AUTH_SECRET (version 0) outside production; production refuses to start.
     */
    PAYOUT_ENCRYPTION_KEY: optionalString.pipe(
      z
        .string()
        .regex(
          /^\d{1,4}:[A-Za-z0-9+/_-]{43}=?(,\d{1,4}:[A-Za-z0-9+/_-]{43}=?)*$/,
          "PAYOUT_ENCRYPTION_KEY must be <version>:<32 bytes in base64>, comma-separated, like 1:q83v…=",
        )
        .optional(),
    ),
    /** Withdrawal rules (amounts like 10.00, in the platform currency). Unset: the defaults in server/withdrawals/rules.ts. */
    WITHDRAWAL_MIN: moneyString("WITHDRAWAL_MIN"),
    WITHDRAWAL_MAX: moneyString("WITHDRAWAL_MAX"),
    WITHDRAWAL_FEE: moneyString("WITHDRAWAL_FEE"),
    WITHDRAWAL_DAILY_LIMIT: moneyString("WITHDRAWAL_DAILY_LIMIT"),
    WITHDRAWAL_SECOND_FACTOR_OVER: moneyString("WITHDRAWAL_SECOND_FACTOR_OVER"),
    WITHDRAWAL_MAX_PENDING: wholeNumber("WITHDRAWAL_MAX_PENDING"),
    WITHDRAWAL_VELOCITY_ALERT: wholeNumber("WITHDRAWAL_VELOCITY_ALERT"),
    WITHDRAWAL_NEW_ACCOUNT_REVIEW_HOURS: wholeNumber("WITHDRAWAL_NEW_ACCOUNT_REVIEW_HOURS"),
    /** "false" keeps the job worker out of the web process (run `npm run worker` instead). */
    RUN_WORKER: optionalString,
    /** Outgoing mail server, e.g. smtp://user:pass@host:587. Unset: mail is written to $DATA_DIR/mail. */
    SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/, message: "SMTP_URL must be an smtp:// or smtps:// URL" }).optional()),
    /**
     * Passkeys (WebAuthn): the site's origins, comma-separated (e.g. https://driftwood.gg), and the
     * relying-party id they share (a registrable domain, e.g. driftwood.gg; never an IP address).
     * Unset: the host the browser addressed (development and tests; set both in production).
     */
    WEBAUTHN_ORIGINS: optionalString,
    WEBAUTHN_RP_ID: optionalString,
    /** Sender of Driftwood's emails. Unset: "Driftwood <no-reply@driftwood.local>". */
    MAIL_FROM: optionalString,
    /** Firestore live transport: the Firebase project the publisher job writes `live/<topic>` to. Unset: SSE only. */
    FIREBASE_PROJECT_ID: optionalString,
    /** A service account's email and PEM private key (`\n` escapes allowed), for writes and custom tokens. */
    FIREBASE_CLIENT_EMAIL: optionalString,
    FIREBASE_PRIVATE_KEY: optionalString,
    /** Path of a service-account JSON file: Google's usual alternative to the two above. */
    GOOGLE_APPLICATION_CREDENTIALS: optionalString,
    /** host:port of a Firestore emulator; firebase-admin then needs no credentials for Firestore. */
    FIRESTORE_EMULATOR_HOST: optionalString,
    /**
     * Cloud Storage for Firebase bucket for uploaded files (dispute evidence), e.g. driftwood-prod.firebasestorage.app
     * ("gs://" allowed). Needs FIREBASE_PROJECT_ID and real credentials. Unset: files go to $DATA_DIR/uploads.
     */
    FIREBASE_STORAGE_BUCKET: optionalString,
    /** host:port of a Firebase Auth emulator: custom tokens are then minted unsigned. */
    FIREBASE_AUTH_EMULATOR_HOST: optionalString,
    /** The browser's Firebase web config, inlined at build time; with it pages follow topics through Firestore. */
    NEXT_PUBLIC_FIREBASE_API_KEY: optionalString,
    NEXT_PUBLIC_FIREBASE_PROJECT_ID: optionalString,
    NEXT_PUBLIC_FIREBASE_AUTH_DOMAIN: optionalString,
    NEXT_PUBLIC_FIRESTORE_EMULATOR_HOST: optionalString,
    NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_URL: optionalString.pipe(
      z.url({ message: "NEXT_PUBLIC_FIREBASE_AUTH_EMULATOR_URL must be a URL" }).optional(),
    ),
  })
  .superRefine((value, ctx) => {
    if (value.STRIPE_SECRET_KEY && !value.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_WEBHOOK_SECRET"], message: "is required when STRIPE_SECRET_KEY is set" });
    }
    if (Boolean(value.FIREBASE_CLIENT_EMAIL) !== Boolean(value.FIREBASE_PRIVATE_KEY)) {
      const missing = value.FIREBASE_CLIENT_EMAIL ? "FIREBASE_PRIVATE_KEY" : "FIREBASE_CLIENT_EMAIL";
      ctx.addIssue({ code: "custom", path: [missing], message: "FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY go together" });
    }
    if (
      value.FIREBASE_PROJECT_ID &&
      !value.FIREBASE_CLIENT_EMAIL &&
      !value.GOOGLE_APPLICATION_CREDENTIALS &&
      !value.FIRESTORE_EMULATOR_HOST
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["FIREBASE_PROJECT_ID"],
        message:
          "needs credentials: FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY, GOOGLE_APPLICATION_CREDENTIALS, or FIRESTORE_EMULATOR_HOST",
      });
    }
    if (value.FIREBASE_STORAGE_BUCKET) {
      // firebase-admin's Storage needs a real credential; the emulator mode above gives the app none.
      const credentials = value.FIREBASE_CLIENT_EMAIL || (value.GOOGLE_APPLICATION_CREDENTIALS && !value.FIRESTORE_EMULATOR_HOST);
      if (!value.FIREBASE_PROJECT_ID || !credentials) {
        ctx.addIssue({
          code: "custom",
          path: ["FIREBASE_STORAGE_BUCKET"],
          message:
            "needs FIREBASE_PROJECT_ID and credentials: FIREBASE_CLIENT_EMAIL and FIREBASE_PRIVATE_KEY, or GOOGLE_APPLICATION_CREDENTIALS (without FIRESTORE_EMULATOR_HOST)",
        });
      }
    }
    if (value.NEXT_PUBLIC_FIREBASE_PROJECT_ID) {
      // Browsers would listen to documents nobody writes.
      if (value.NEXT_PUBLIC_FIREBASE_PROJECT_ID !== value.FIREBASE_PROJECT_ID) {
        ctx.addIssue({
          code: "custom",
          path: ["NEXT_PUBLIC_FIREBASE_PROJECT_ID"],
          message: "must equal FIREBASE_PROJECT_ID (the project the server publishes to)",
        });
      }
      if (!value.NEXT_PUBLIC_FIREBASE_API_KEY) {
        ctx.addIssue({
          code: "custom",
          path: ["NEXT_PUBLIC_FIREBASE_API_KEY"],
          message: "is required when NEXT_PUBLIC_FIREBASE_PROJECT_ID is set",
        });
      }
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

/** The platform fee new events are created with (PLATFORM_FEE_PERCENT, default 5). */
export const platformFeePercent = env.PLATFORM_FEE_PERCENT ?? 5;

export const oauthProviders = {
  discord: Boolean(env.AUTH_DISCORD_ID && env.AUTH_DISCORD_SECRET),
  google: Boolean(env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET),
};
