#!/usr/bin/env bash
# What a fresh machine needs before the demo, the tests or the benchmarks: the npm packages (with
# `npm install`: `npm ci` refuses our lockfile here, see DESIGN.md §6), and Debian's chromium and
# firefox-esr, which the tests drive (no test tool may download a browser of its own). Installing
# Debian packages needs root, as on our machines and CI.
set -euo pipefail
cd "$(dirname "$0")/.."

printf '\n\033[1m▶ %s\033[0m\n' "Installing npm packages (npm install)"
npm install --no-audit --no-fund --loglevel=error
printf '\n\033[1m▶ %s\033[0m\n' "Checking for the Debian browsers"

missing=()
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
[[ -x /usr/bin/firefox-esr ]] || missing+=(firefox-esr)
[[ -x /usr/bin/openssl ]] || missing+=(openssl)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "Browsers present: $(/usr/bin/chromium --version 2>/dev/null | head -1); $(/usr/bin/firefox-esr --version 2>/dev/null)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]} (apt-get update first)…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "Installed: ${missing[*]}"
