#!/usr/bin/env bash
# The system packages the test suite needs, installed by `make test` when run as root: Java (the HermiT
# reasoner), Virtuoso (a remote engine the store is tested on), Chromium and a font (the browser tests; Playwright drives the Debian Chromium, so
# `playwright install` is never needed) and Pango (PDFs). Not root: one line saying what to install, and exit 1, so
# `make test` stops before a run that could only fail.
set -euo pipefail
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
[ -x "${POLICYGRAPH_CHROMIUM:-/usr/bin/chromium}" ] || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# Virtuoso Open Source: the remote engine the store and the question library are also tested on
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
# Pango lays out the PDFs (weasyprint: workshop records, letters, the coherence report)
{ ldconfig -p 2>/dev/null || /sbin/ldconfig -p; } | grep -q "libpango-1.0.so" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "make test needs these system packages: ${missing[*]} (as root: apt-get install ${missing[*]}; or run make test as root)" >&2
  exit 1
fi
