#!/usr/bin/env bash
# Everything, on a fresh machine: install, typecheck, lint, architecture rules, unit tests, both builds,
# Firefox's own linter, and the end-to-end tests in real Chromium and Firefox.
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
step "Building for Chrome MV3 and Firefox MV3"
npm run build --silent
step "web-ext lint on the Firefox build"
npx web-ext lint --source-dir .output/firefox-mv3 --output json --pretty >test-results/web-ext-lint.json || true
node scripts/check-web-ext-lint.mjs test-results/web-ext-lint.json
step "End-to-end tests in Chromium and Firefox (vitest)"
npx vitest run --config vitest.e2e.config.ts --reporter=default --reporter=json --outputFile.json=test-results/e2e.json
step "Summary"
node scripts/summarize-tests.mjs test-results/unit.json test-results/e2e.json
