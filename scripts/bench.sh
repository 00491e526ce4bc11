#!/usr/bin/env bash
# `npm run bench`: builds the production extension into bench/out/build, then measures it in
# headless Chromium against the local stand-ins and writes bench/report.json and bench/REPORT.md.
# Not part of `npm test`: it takes minutes and its figures depend on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

# npm packages and Debian's chromium (shared with the tests and the demo).
bash scripts/setup.sh
mkdir -p bench/out
export ALSOSHARE_OUT_DIR="$PWD/bench/out/build"
echo "Building the production extension (Chrome MV3) into $ALSOSHARE_OUT_DIR…"
npx wxt build >bench/out/build.log 2>&1 || { cat bench/out/build.log; exit 1; }
npx tsx bench/run.ts "$@"
# The report is committed, so it must pass `biome check .` as written.
npx biome format --write bench/REPORT.md >/dev/null
