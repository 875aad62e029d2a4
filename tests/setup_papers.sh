#!/usr/bin/env bash
# Papers (PDF) are made by WeasyPrint with Debian's Noto CJK fonts (embedded as subsets); it
# draws text with Debian's pango and subsets fonts with libharfbuzz-subset0. The tests read the
# PDFs back with poppler-utils (pdftotext, pdffonts). Install what is missing when we may
# (root with apt); otherwise the paper tests skip locally, naming what is missing.
set -u
missing=()
for pkg in fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
command -v pdftotext >/dev/null && command -v pdffonts >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian ${missing[*]} for the papers (PDF)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
     >/dev/null) || echo "could not install ${missing[*]}; paper tests will skip locally (and fail in CI)"
else
  echo "missing ${missing[*]}: paper tests will skip locally (and fail in CI)"
fi
exit 0
