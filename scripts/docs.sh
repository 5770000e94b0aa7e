#!/usr/bin/env bash
# Builds the DocC archives of the two library modules from the top-level catalogs
#   DocC/FEEL.docc        -> .build/docs/FEEL.doccarchive
#   DocC/FEELStudies.docc -> .build/docs/FEELStudies.doccarchive
#   DocC/ConvexCore.docc  -> .build/docs/ConvexCore.doccarchive
# with --warnings-as-errors, so an unresolved symbol link fails the build, after checking
# that every public symbol of both modules has a doc comment (scripts/doc-coverage.py).
#
# Works on a fresh clone: it builds the FEELStudies target (and with it FEEL and
# ConvexCore) in debug, the configuration `swift test` has already built in CI, then
# extracts the three modules' symbol graphs with swift-symbolgraph-extract (only these
# three: the tests, the CLI and the reference target are neither built nor documented here).
#
# Preview an archive locally: `docc preview DocC/FEEL.docc --additional-symbol-graph-dir
# .build/docs/symbol-graphs/FEEL`.
set -euo pipefail
cd "$(dirname "$0")/.."

started=$(date +%s)
modules=(FEEL FEELStudies ConvexCore)
out=.build/docs

swift_bin="$(dirname "$(readlink -f "$(command -v swift)")")"
docc="$(command -v docc || true)"
[ -n "$docc" ] || docc="$swift_bin/docc"
extract="$(command -v swift-symbolgraph-extract || true)"
[ -n "$extract" ] || extract="$swift_bin/swift-symbolgraph-extract"

echo "docs: building FEEL, FEELStudies and ConvexCore"
rm -rf "$out"
mkdir -p "$out"
swift build --target FEELStudies >"$out/build.log" 2>&1 || {
  cat "$out/build.log"
  echo "docs: swift build --target FEELStudies failed" >&2
  exit 1
}
bin="$(swift build --show-bin-path)"
search="$bin/Modules"
[ -d "$search" ] || search="$bin"
triple="$(swift -print-target-info | sed -n 's/^ *"triple": "\(.*\)",*$/\1/p' | head -n 1)"

for module in "${modules[@]}"; do
  graphs="$out/symbol-graphs/$module"
  mkdir -p "$graphs"
  "$extract" -module-name "$module" -I "$search" -target "$triple" \
    -minimum-access-level public -output-dir "$graphs"
done

echo "docs: checking that every public symbol is documented"
python3 scripts/doc-coverage.py "$out/symbol-graphs/FEEL/FEEL.symbols.json" \
  "$out/symbol-graphs/FEELStudies/FEELStudies.symbols.json" \
  "$out/symbol-graphs/ConvexCore/ConvexCore.symbols.json"

for module in "${modules[@]}"; do
  echo "docs: converting DocC/$module.docc"
  "$docc" convert "DocC/$module.docc" \
    --additional-symbol-graph-dir "$out/symbol-graphs/$module" \
    --fallback-display-name "$module" --fallback-bundle-identifier "feel.$module" \
    --output-path "$out/$module.doccarchive" --warnings-as-errors >"$out/$module.log" 2>&1 || {
    cat "$out/$module.log"
    echo "docs: DocC/$module.docc failed (warnings are errors)" >&2
    exit 1
  }
done

echo "docs: archives in $out/ ($(($(date +%s) - started)) s)"
