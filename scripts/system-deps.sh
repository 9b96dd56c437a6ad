#!/usr/bin/env bash
# Install the Debian packages Kinerja needs, only those missing. Usage: system-deps.sh run|test
#   run:  what the web application needs (WeasyPrint's Pango, fonts for PDFs)
#   test: the above plus Chromium for the browser tests and poppler-utils to read PDFs back
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
packages+=(libreoffice-writer-nogui) # an uploaded DOCX becomes a PDF to sign (documents/convert.py)
if [ "${1:-run}" = "test" ]; then
  packages+=(chromium poppler-utils)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "Please install as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
