#!/usr/bin/env bash
# Debian packages the tests need that pip cannot give: a browser and its driver for
# the browser tests, a Korean font for PDFs and screenshots, pdftotext for reading PDFs.
# Installs them with apt-get when running as root; otherwise names them and stops.
# With --r: R and its survey package instead, for `make goldens` (tests/golden/README.md).
set -euo pipefail
PACKAGES=(chromium chromium-driver fonts-nanum poppler-utils)
if [ "${1:-}" = "--r" ]; then
  PACKAGES=(r-base-core r-cran-survey r-cran-mass)
fi
missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them as root:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
