#!/usr/bin/env bash
# The Debian packages the platform and its suite use, installed when missing (as root, with
# apt-get; otherwise it says what is missing and the tests that need them are skipped).
#   apertium, apertium-eng-spa   the offline English↔Spanish engine
#   chromium, fonts-wqy-microhei  the browser tests (and Chinese glyphs in their screenshots)
#   fonts-dejavu-core, fonts-wqy-microhei  the faces translated PDFs are set in
#   poppler-utils                pdftotext, which judges translated PDFs
#   tesseract-ocr, -eng, -spa, -chi-sim, -chi-tra  OCR of scans and images (add tesseract-ocr-<lang> for more)
#   prometheus                   promtool, which checks and unit-tests the alert rules
#   postgresql                   the PostgreSQL half of the suite
#   redis-server                 the Redis stream bus tests (several web processes)
#   gettext                      msgfmt: makemessages / compilemessages, and the catalogue check of scripts/test.sh
#   epubcheck                    the W3C EPUB checker (Java), judging translated EPUBs
set -euo pipefail
PACKAGES=(apertium apertium-eng-spa chromium fonts-wqy-microhei fonts-dejavu-core poppler-utils tesseract-ocr
          tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-chi-sim tesseract-ocr-chi-tra prometheus postgresql
          redis-server gettext epubcheck)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Installing the prometheus package starts its own server; the suite needs only promtool.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl stop prometheus 2>/dev/null || true
  fi
else
  echo "Not installed (the tests that need them are skipped): ${missing[*]}" >&2
fi
