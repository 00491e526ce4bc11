#!/usr/bin/env bash
# The main job, on the bundled local stand-ins: build, start Instagram/Facebook stand-ins, load the
# built extension in Chromium, link a demo Page, share a demo post through the composer, and show
# what reached Facebook. `npm run demo -- --headed` opens a visible window (needs a display).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1m▶ %s\033[0m\n' "$*"; }

bash scripts/setup.sh
step "Building the extension (Chrome MV3 + Firefox MV3)"
npm run build --silent >/dev/null
echo "Built .output/chrome-mv3 and .output/firefox-mv3"
npx tsx scripts/demo.ts "$@"
