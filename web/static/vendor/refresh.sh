#!/usr/bin/env bash
# Refresh the vendored front-end libraries from the npm registry (the app never loads them from a CDN).
# Usage: web/static/vendor/refresh.sh   (needs npm; writes next to this script)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @zazuko/yasgui@4 vis-network@10 >/dev/null
for f in *.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
y=(zazuko-yasgui-*/package); v=(vis-network-*/package)
mkdir -p "$here/yasgui" "$here/vis-network"
cp "$y/build/yasgui.min.js" "$y/build/yasgui.min.css" "$here/yasgui/"
cp "$y/LICENSE"* "$here/yasgui/" 2>/dev/null || node -e "console.log(require('./$y/package.json').license)" > "$here/yasgui/LICENSE"
cp "$v/standalone/umd/vis-network.min.js" "$here/vis-network/"
cp "$v/LICENSE"* "$here/vis-network/" 2>/dev/null || true
node -e "for (const p of process.argv.slice(1)) { const j = require('./' + p + '/package.json'); console.log(j.name + ' ' + j.version + ' ' + j.license); }" "$y" "$v" > "$here/VERSIONS"
echo "vendored: $(tr '\n' ';' < "$here/VERSIONS")"
