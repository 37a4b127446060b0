#!/bin/sh
# Prints, per log in fuzz/logs/, the final libFuzzer stat line and the average exec/s.
[ $# -gt 0 ] || set -- fuzz/logs/*.log
for log in "$@"; do
  [ "$(basename "$log")" = build.log ] && continue
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
  [ -n "$last" ] || continue
  n=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
  t=$(echo "$last" | sed -E 's/.* time: ([0-9]+)s.*/\1/')
  echo "$(basename "$log" .log): $last | avg exec/s $((n / t))"
done
