#!/usr/bin/env bash
# scripts/vendor-uppy.sh [VERSION]
#
# Refreshes the vendored Uppy bundle in src/MediaVault/wwwroot/lib/uppy/ from the npm registry
# (default version 6.0.1): dist/uppy.min.mjs, dist/uppy.min.css, the package's LICENSE, and a
# VERSION file naming the package, version, licence, source, tarball integrity and date.
# The prebuilt bundle is enough for a page: no node_modules and no bundler in this repository.
# Needs npm. Commit what it writes.
set -euo pipefail

VERSION=${1:-6.0.1}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DEST=$REPO/src/MediaVault/wwwroot/lib/uppy
command -v npm >/dev/null || { echo "vendor-uppy.sh: npm not found" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# npm pack checks the tarball against the registry's integrity hash; --json tells us that hash.
(cd "$WORK" && npm pack "uppy@$VERSION" --json --silent >pack.json)
tar -xzf "$WORK"/uppy-"$VERSION".tgz -C "$WORK"
PKG=$WORK/package
read -r name version license < <(node -e \
  'const p=require(process.argv[1]); console.log(p.name, p.version, p.license)' "$PKG/package.json")
integrity=$(node -e 'console.log(require(process.argv[1])[0].integrity)' "$WORK/pack.json")
[ "$version" = "$VERSION" ] || { echo "vendor-uppy.sh: asked for $VERSION, got $version" >&2; exit 1; }
for f in dist/uppy.min.mjs dist/uppy.min.css LICENSE; do
  [ -s "$PKG/$f" ] || { echo "vendor-uppy.sh: $name@$version has no $f" >&2; exit 1; }
done

rm -rf "$DEST"
mkdir -p "$DEST"
# The bundle ends with a sourceMappingURL comment; the map (2 MB) is left out on purpose.
cp "$PKG/dist/uppy.min.mjs" "$PKG/dist/uppy.min.css" "$PKG/LICENSE" "$DEST/"
cat >"$DEST/VERSION" <<EOF
package: $name
version: $version
license: $license
source: npm registry
integrity: $integrity
files: dist/uppy.min.mjs dist/uppy.min.css LICENSE
date: $(date -u +%F)
EOF
echo "vendor-uppy.sh: $name@$version ($license) -> ${DEST#"$REPO"/}" >&2
ls -l "$DEST" >&2
