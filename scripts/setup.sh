#!/usr/bin/env bash
# Installs what a fresh machine lacks, and skips what is present.
#   --build-tools   only what `npm run build` needs (Rust wasm target, wasm-bindgen, npm deps)
#   (no flag)       also Debian's chromium (browser tests) and the Python peers (oauthlib)
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[setup] %s\n' "$*" >&2; }

# Rust target for wasm.
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

# wasm-bindgen-cli at exactly the version in Cargo.lock (the glue and the crate must match).
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (found: ${have:-none}); this compiles for a few minutes"
  cargo install wasm-bindgen-cli --version "$want" --locked --force >&2
fi

# npm dependencies from the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund >&2
fi

[ "${1:-}" = "--build-tools" ] && exit 0

# Debian's Chromium for the browser tests.
if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian chromium"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
fi

# Python peers (oauthlib, atlassian-jwt-auth) in a project venv.
if [ ! -x tests/.venv/bin/python ] || ! cmp -s tests/requirements.txt tests/.venv/requirements.txt; then
  say "creating tests/.venv with the Python peers"
  python3 -m venv tests/.venv
  tests/.venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt >&2
  cp tests/requirements.txt tests/.venv/requirements.txt
fi
