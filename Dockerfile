# syntax=docker/dockerfile:1
# Driftwood's images, on the Node.js LTS the project runs on (.nvmrc):
#   docker build -t driftwood .                      the web app (Next.js standalone server)
#   docker build -t driftwood-worker --target worker .  the job worker (`npm run worker`)
# compose.yaml runs both with PostgreSQL.
ARG NODE_VERSION=26.10.0

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
# `npm run build` leaves a server that runs on its own in .next/standalone (static files, public/
# and the migrations copied in by scripts/standalone.ts).
RUN npm run build

# The job worker runs TypeScript through tsx: the full install and the sources.
FROM deps AS worker
COPY . .
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1
USER node
CMD ["npm", "run", "worker"]

FROM node:${NODE_VERSION}-bookworm-slim AS app
WORKDIR /app
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 PORT=3000 HOSTNAME=0.0.0.0
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Migrations are applied at start (a failed one stops the start, naming it).
CMD ["node", "--max-semi-space-size=64", "server.js"]
