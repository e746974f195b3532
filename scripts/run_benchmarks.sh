#!/usr/bin/env bash
# Every figure in BENCHMARKS.md, in one run, logs under ${OUT:-/tmp/newsfacts-bench}.
# Needs ../shared beside the project. Takes about 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-/tmp/newsfacts-bench}
mkdir -p "$OUT"
NF=.venv/bin/newsfacts
FRE=../shared/data/factrueval-2016/devset
uptime | tee "$OUT/uptime-start.txt"
$NF bench --data "$FRE" --repeat 3 --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.txt"
$NF eval factrueval --data "$FRE" --out "$OUT/factrueval" --baseline natasha 2>&1 | tee "$OUT/factrueval.txt"
$NF eval nerel --data ../shared/data/nerel-1.1/dev 2>&1 | tee "$OUT/nerel.txt"
$NF eval quantities 2>&1 | tee "$OUT/quantities.txt"
.venv/bin/python scripts/bench_scale.py --limit 300 ${NEWSFACTS_TEST_PG:+--pg "$NEWSFACTS_TEST_PG"} \
    --json "$OUT/scale.json" 2>&1 | tee "$OUT/scale.txt"
uptime | tee "$OUT/uptime-end.txt"
