#!/usr/bin/env bash
# Everything, on a fresh machine: install, typecheck, lint, architecture rules, unit tests, both builds
# and their store zips, Firefox's own linter on its zip, and the end-to-end tests in real Chromium and Firefox.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

bash scripts/setup.sh

rm -rf test-results && mkdir -p test-results
step "Typecheck (tsc)"
npx tsc --noEmit
step "Lint and format check (Biome)"
npx biome check .
step "Architecture rules (dependency-cruiser)"
npm run depcruise --silent
step "Unit tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/unit.json
# `npm run zip` is the build (the same production build as `npm run build`) plus the store zips.
step "Building and zipping for Chrome MV3 and Firefox MV3 (npm run zip)"
npm run zip --silent
step "The store zips: their builds, icons, and a rebuild from the sources zip"
npx tsx scripts/check-zips.ts test-results/firefox-zip
step "web-ext lint on the Firefox zip, unpacked"
npx web-ext lint --source-dir test-results/firefox-zip --output json --pretty >test-results/web-ext-lint.json || true
node scripts/check-web-ext-lint.mjs test-results/web-ext-lint.json
step "End-to-end tests in Chromium and Firefox (vitest)"
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=test-results/e2e.json
step "Summary"
node scripts/summarize-tests.mjs test-results/unit.json test-results/e2e.json
