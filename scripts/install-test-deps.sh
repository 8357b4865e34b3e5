#!/usr/bin/env bash
# Install everything the test suite needs on a fresh Debian machine (run as root):
# Debian packages (poppler-utils for pdftoppm/pdffonts, Chromium for browser tests, LibreOffice Calc for the
# round-trip tests, Pango for WeasyPrint), the package with its test extras, and axe-core from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
pkgs=()
command -v pdftoppm >/dev/null 2>&1 || pkgs+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || pkgs+=(chromium)
command -v soffice >/dev/null 2>&1 || pkgs+=(libreoffice-calc-nogui)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
command -v faketime >/dev/null 2>&1 || pkgs+=(faketime)
# WeasyPrint (the accessible booklet) lays text out with Pango.
ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || pkgs+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' || pkgs+=(libpangoft2-1.0-0)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
if [ -f tests/browser/package.json ]; then
  if [ -f tests/browser/package-lock.json ]; then
    npm ci --prefix tests/browser --no-audit --no-fund --silent
  else
    npm install --prefix tests/browser --no-audit --no-fund --silent
  fi
fi
