#!/bin/sh
# Runs the benchmarks; each size in its own process so the peak RSS printed is that size's.
set -e
cd "$(dirname "$0")/.."
make -s build/bench/bench_front
echo "front end: generated SOPs, parse + resolve + check, best of 5 (baseline: one pass counting newlines)"
for n in 1000 10000 100000; do ./build/bench/bench_front "$n" 5; done
