#!/usr/bin/env bash
# `npm test`: the whole suite. System packages first (installed when missing and allowed), then the type
# check and every test against a real S3 server and a real SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-deps.sh
export NEXT_TELEMETRY_DISABLED=1
npm run typecheck
# Lint and format (Biome), and the map's dependency rules (docs/ARCHITECTURE.md): a finding fails the suite.
npm run lint
npm run lint:deps
npx vitest run "$@"
# Browser tests run against the production build.
npm run build
npx playwright test
