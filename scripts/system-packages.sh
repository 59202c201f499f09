#!/usr/bin/env bash
# Debian packages Docuforge uses, installed when missing (needs root or sudo).
# fonts-dejavu-core: the tests draw Hebrew and other non-Latin text with it.
# tesseract-ocr, tesseract-ocr-eng: the optional OCR engine (DOCUFORGE_OCR__ENGINE=tesseract).
# With --test, also what only the tests need: LibreOffice, optional in the product (legacy .doc/
# .xls/.ppt and page boxes for DOCX/HTML), so that its path is tested for real; and a Chinese
# font (fonts-wqy-microhei), to draw the Chinese scan the OCR tests read; and Chromium, the browser
# the Studio's end-to-end tests drive through Playwright (its own browser download is never used).
set -euo pipefail

PACKAGES=(fonts-dejavu-core tesseract-ocr tesseract-ocr-eng)
if [ "${1:-}" = "--test" ]; then
    PACKAGES+=(libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui fonts-wqy-microhei)
    PACKAGES+=(chromium)
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
