#!/usr/bin/env bash
# `make test` runs the SQLite suite once more with the clock moved ahead (Debian's faketime),
# so a test that reads the real calendar fails today rather than on some later day. Install
# faketime when it is missing and we may (root with apt); otherwise say so (CI then fails).
set -u
command -v faketime >/dev/null && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "installing Debian faketime for the suite run with the clock moved ahead"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime \
     >/dev/null) || echo "could not install faketime"
fi
command -v faketime >/dev/null && exit 0
echo "missing faketime: the suite run with the clock moved ahead is skipped locally (and fails in CI)"
[ -z "${CI:-}" ]
