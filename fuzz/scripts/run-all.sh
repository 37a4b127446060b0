#!/bin/sh
# Runs every target for SECONDS (default 600) one after the other, at lowered priority, in
# fork mode so a finding does not end the run. Logs go to fuzz/logs/<target>.log.
# Usage (from the repository root): sh fuzz/scripts/run-all.sh [seconds] [targets...]
set -u
secs=${1:-600}
shift 2>/dev/null || true
targets=${*:-"canonical oauth jwt trusted_apps explain keys"}
mkdir -p fuzz/logs
nice -n 10 cargo +nightly fuzz build -O -a >fuzz/logs/build.log 2>&1 || exit 1
for t in $targets; do
  case $t in jwt|keys) len=8192 ;; *) len=4096 ;; esac
  mkdir -p fuzz/corpus-full/$t fuzz/artifacts/$t
  echo "nice -n 10 cargo +nightly fuzz run -O -a $t fuzz/corpus-full/$t -- -max_total_time=$secs -rss_limit_mb=2048 -max_len=$len -timeout=10 -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -artifact_prefix=fuzz/artifacts/$t/" >fuzz/logs/$t.log
  date -u +%FT%TZ >>fuzz/logs/$t.log
  nice -n 10 cargo +nightly fuzz run -O -a $t fuzz/corpus-full/$t -- \
    -max_total_time=$secs -rss_limit_mb=2048 -max_len=$len -timeout=10 \
    -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix=fuzz/artifacts/$t/ >>fuzz/logs/$t.log 2>&1
  echo "exit $?" >>fuzz/logs/$t.log
  date -u +%FT%TZ >>fuzz/logs/$t.log
done
