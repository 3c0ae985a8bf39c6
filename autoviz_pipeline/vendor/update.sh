#!/usr/bin/env bash
# Re-vendors the Vega scripts of report.html from the npm registry (needs node and npm; run from anywhere):
# the four builds as published, their licences, and the licences of every package npm installs beside them.
# Bump the versions here and in README.md together, then run tests/test_report_interactive.py.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
VERSIONS=(vega@5.33.1 vega-lite@5.23.0 vega-embed@6.29.0 vega-interpreter@1.2.1)
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund --save-exact "${VERSIONS[@]}" >/dev/null
M=node_modules
cp "$M/vega/build/vega.min.js" "$M/vega-lite/build/vega-lite.min.js" "$M/vega-embed/build/vega-embed.min.js" \
   "$M/vega-interpreter/build/vega-interpreter.min.js" "$HERE/"
mkdir -p "$HERE/licenses"
cp "$M/vega-lite/LICENSE" "$HERE/licenses/vega-lite.LICENSE"
cp "$M/vega-embed/LICENSE" "$HERE/licenses/vega-embed.LICENSE"
# the vega and vega-interpreter packages ship no LICENSE file; vega-canvas, from the same monorepo
# (github.com/vega/vega) and under the same BSD-3-Clause licence, does
cp "$M/vega-canvas/LICENSE" "$HERE/licenses/vega.LICENSE"
cp "$M/vega-canvas/LICENSE" "$HERE/licenses/vega-interpreter.LICENSE"
{
  echo "Licences of the packages npm installs with ${VERSIONS[*]}."
  echo "The browser builds above bundle most of them; some are used under Node only (node-fetch, yargs and"
  echo "its dependencies, command-line tools) and are listed anyway; type declarations (@types) and the native"
  echo "build tool that vega-tooltip lists (@rollup) are left out."
  for dir in $(npm ls --all --omit=dev --parseable | tail -n +2 | sed "s|^$PWD/||" \
               | grep -v -e '/@types/' -e '/@rollup/' | sort -u); do
    name=$(node -p "require('./$dir/package.json').name + '@' + require('./$dir/package.json').version")
    licence=$(node -p "require('./$dir/package.json').license")
    file=$(find "$dir" -maxdepth 1 -type f -iregex '.*/\(licen[cs]e\|copying\)[^/]*' | sort | head -1)
    rule='=============================================================================='
    printf '\n%s\n%s (%s)\n%s\n' "$rule" "$name" "$licence" "$rule"
    if [ -n "$file" ]; then cat "$file"
    elif [[ $name == vega* ]]; then echo "(no licence file in the package: the vega monorepo's, licenses/vega.LICENSE)"
    else echo "(no licence file in the package; see its package.json)"; fi
  done
} > "$HERE/licenses/THIRD_PARTY_LICENSES.txt"
sha256sum "$HERE"/*.min.js
