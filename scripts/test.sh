#!/usr/bin/env bash
# `npm test`: everything, on a fresh machine too. Installs what is missing, builds pkg/ when
# its inputs changed, then runs: the habits (rustfmt, clippy for the host and for wasm32 with
# warnings as errors, the layer and file-size check, the JS linter), cargo test, the Node tests
# on pkg/ (require and import), tsc over the types, and the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup"
bash scripts/setup.sh

step "build pkg/"
node scripts/build.mjs --if-needed

step "habits: cargo fmt --check, clippy (host and wasm32) -D warnings, layers, JS lint"
cargo fmt --all --check
cargo clippy --quiet --workspace --all-targets -- -D warnings
cargo clippy --quiet --workspace --target wasm32-unknown-unknown --release --lib -- -D warnings
node scripts/check-layout.mjs
node_modules/.bin/biome lint pkg-template www scripts bench tests

step "cargo test (core, explain, bindings)"
cargo test --workspace --quiet 2>&1

step "node tests on pkg/"
node --test tests/node/*.test.mjs tests/node/*.test.cjs

step "tsc over the published types"
node_modules/.bin/tsc -p tests/types

step "attw (@arethetypeswrong/cli) on the packed tarball: every entry, every resolution mode"
# ./wasm is the .wasm file itself (an asset for ?url imports and init(url)), not a module with types.
node_modules/.bin/attw --pack pkg --format table-flipped --exclude-entrypoints ./wasm

step "browser tests (Debian chromium)"
node --test tests/browser/*.test.mjs

step "all passed in $(( $(date +%s) - start ))s"
