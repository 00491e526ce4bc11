#!/usr/bin/env bash
# Installs Debian's chromium and firefox-esr when they are missing (the tests and the demo drive
# them; no test tool may download a browser of its own). Needs root, as on our machines and CI.
set -euo pipefail

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
