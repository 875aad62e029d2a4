#!/usr/bin/env bash
# Browser tests use Debian's Chromium (never a downloaded browser) and the Noto CJK fonts (the
# pages are Chinese: without them a screenshot shows boxes). Install what is missing when we
# may (root with apt), and poppler-utils (pdftotext) to read a printed page; otherwise the
# browser tests skip locally, naming what is missing.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q "ok installed" \
  || missing+=(fonts-noto-cjk)
# The printed 公示 list is saved as a PDF and read back with pdftotext.
command -v pdftotext >/dev/null || missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian ${missing[*]} for the browser tests"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" \
     >/dev/null) || echo "could not install ${missing[*]}; browser tests will skip locally (and fail in CI)"
else
  echo "missing ${missing[*]}: browser tests will skip locally (and fail in CI)"
fi
exit 0
