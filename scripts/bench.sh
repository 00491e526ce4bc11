#!/usr/bin/env bash
# `npm run bench`: builds the production extension for Chrome and Firefox into bench/out/build, then
# measures it in headless Chromium and Firefox against the local stand-ins and writes
# bench/report.json, bench/REPORT.md and bench/plots. Not part of `npm test`: it takes many minutes
# and its figures depend on the machine. `-- --only key,key` or `-- --browsers firefox` run a part
# (written to bench/out, never over the committed report).
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages and Debian's chromium and firefox-esr (shared with the tests and the demo).
bash scripts/setup.sh
mkdir -p bench/out
export ALSOSHARE_OUT_DIR="$PWD/bench/out/build"
echo "Building the production extension (Chrome and Firefox MV3) into $ALSOSHARE_OUT_DIR…"
{ npx wxt build && npx wxt build -b firefox --mv3; } >bench/out/build.log 2>&1 || { cat bench/out/build.log; exit 1; }
npx tsx bench/run.ts "$@"
