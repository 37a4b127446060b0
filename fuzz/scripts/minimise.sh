#!/bin/sh
# Minimises fuzz/corpus-full/<t> (cargo fuzz cmin), then writes the small copy kept in git to
# fuzz/corpus/<t>: an edge-only set-cover merge of the full corpus and the regressions.
# Usage (from the repository root): sh fuzz/scripts/minimise.sh <targets...>
set -eu
B=fuzz/target/x86_64-unknown-linux-gnu/release
for t in "$@"; do
  case $t in jwt|keys) len=8192 ;; *) len=4096 ;; esac
  nice -n 10 cargo +nightly fuzz cmin -O -a "$t" "fuzz/corpus-full/$t" -- -max_len=$len -timeout=10 -rss_limit_mb=2048 >"fuzz/logs/cmin-$t.log" 2>&1
  rm -rf "fuzz/corpus/$t" && mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
  nice -n 10 "$B/$t" -set_cover_merge=1 -use_counters=0 -max_len=$len -timeout=10 -rss_limit_mb=2048 \
    "fuzz/corpus/$t" "fuzz/corpus-full/$t" "fuzz/regressions/$t" >"fuzz/logs/merge-$t.log" 2>&1
  echo "$t: full $(ls "fuzz/corpus-full/$t" | wc -l) files, kept $(ls "fuzz/corpus/$t" | wc -l) files, $(du -sb "fuzz/corpus/$t" | cut -f1) bytes"
done
