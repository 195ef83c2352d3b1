#!/usr/bin/env bash
# `npm start`: the production server from the standalone build (next.config.mjs `output: 'standalone'`),
# started the way the container starts it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .next/standalone/server.mjs ]; then
  echo "error: no build found; run 'npm run build' first" >&2
  exit 1
fi
# The standalone server serves static assets only from its own folder.
rm -rf .next/standalone/.next/static .next/standalone/public
cp -r .next/static .next/standalone/.next/static
[ -d public ] && cp -r public .next/standalone/public
# The server changes into its own folder: make a relative index path absolute first.
export DATABASE_PATH="$(realpath -m "${DATABASE_PATH:-data/search.db}")"
export NEXT_TELEMETRY_DISABLED=1
exec node .next/standalone/server.mjs
