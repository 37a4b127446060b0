#!/usr/bin/env bash
# `npm test`: everything, on a fresh machine too. Installs what is missing, builds pkg/ when
# its inputs changed, then runs: cargo test, the Node tests on pkg/ (require and import),
# tsc over the types, and the browser tests in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n== %s (%ss)\n' "$*" "$(( $(date +%s) - start ))"; }

step "setup"
bash scripts/setup.sh

step "build pkg/"
node scripts/build.mjs --if-needed

step "cargo test"
cargo test --quiet 2>&1

step "node tests on pkg/"
node --test tests/node/*.test.mjs tests/node/*.test.cjs

step "tsc over the published types"
node_modules/.bin/tsc -p tests/types

step "browser tests (Debian chromium)"
node --test tests/browser/*.test.mjs

step "all passed in $(( $(date +%s) - start ))s"
