# syntax=docker/dockerfile:1
# Braingeneers Search: one image for the web server (default command) and the crawler
# (`node crawler.mjs` once, or `node crawl-schedule.mjs` on a timer). See README.md, "Deployment".

# The base: the official Node.js image. The test suite builds on a local stand-in with the same layout
# (scripts/node-base-image.sh), since its machines cannot pull from Docker Hub.
ARG BASE_IMAGE=node:24-bookworm-slim

# --- build: dependencies (better-sqlite3 compiles here), the viewer assets, Next.js, the server bundles
FROM ${BASE_IMAGE} AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY viewer/h5web/package.json viewer/h5web/
RUN npm install --no-audit --no-fund
COPY . .
ENV NEXT_TELEMETRY_DISABLED=1
RUN npm run build

# --- run: the standalone build only, as an unprivileged user
FROM ${BASE_IMAGE} AS run
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    BIND_ADDRESS=0.0.0.0 \
    PORT=3000 \
    DATABASE_PATH=/data/search.db \
    AWS_SHARED_CREDENTIALS_FILE=/aws/credentials \
    AWS_CONFIG_FILE=/aws/config
WORKDIR /app
COPY --from=build /src/.next/standalone ./
COPY --from=build /src/.next/static ./.next/static
COPY --from=build /src/public ./public
# A fixed uid/gid (10001), so volumes and Kubernetes' fsGroup can name it.
RUN groupadd --gid 10001 app && useradd --uid 10001 --gid app --no-create-home --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data && chown app:app /data
USER app
VOLUME /data
EXPOSE 3000
# 503 until the first crawl has finished, and when the last good crawl is older than HEALTH_MAX_CRAWL_AGE_HOURS.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Migrations are applied when the server (or the crawler) opens the index.
CMD ["node", "server.mjs"]
