#!/bin/sh
# Runs the benchmarks; each size in its own process so the peak RSS printed is that size's.
set -e
cd "$(dirname "$0")/.."
make -s build/bench/bench_front
echo "front end: generated SOPs, parse + resolve + check, best of 5 (baseline: one pass counting newlines)"
for n in 1000 10000 100000; do ./build/bench/bench_front "$n" 5; done

# The verifier: generated SOPs with STEPS steps (pathways of 100), ACTORS actors, DATA data
# categories, DUTIES duties and FACTS facts used in conditions; every principle form; two
# deliberate failures (firewall, notice_before_report) so the count shows real work was done.
# Baseline: compiling the same text. Each configuration gets at most LIMIT seconds of verifying;
# a run stopped at the limit, or one that spends the verifier's state budget, is printed as such.
make -s build/bench/bench_verify
LIMIT=20
echo "verifier: graph build + rd_verify, best of R runs, at most ${LIMIT} s each configuration (baseline: parse + resolve + check of the same text)"
echo "target: 2,000 steps, 200 actors, 16 facts in under 50 ms"
./build/bench/bench_verify 2000 200 20 10 16 5 "$LIMIT"
echo "growth: 200 actors, 20 data categories, 10 duties, 16 facts"
./build/bench/bench_verify 1000 200 20 10 16 5 "$LIMIT"
./build/bench/bench_verify 10000 200 20 10 16 3 "$LIMIT"
./build/bench/bench_verify 100000 200 20 10 16 2 "$LIMIT"

# The runtime, as an app embedding librightdoor sees it: rd_case_next and rd_may_share on Annex 1a
# (the committed case c-0001 and the same case further along, built with the API), 1,000,000 calls
# each, each call timed alone (baseline: an empty function through the same function pointer, i.e.
# the clock's own cost) and may-share also in batches of 100; then `rightdoor next` as a whole
# process, 200 runs interleaved with /bin/true. One process; its peak RSS is printed.
make -s rightdoor build/bench/bench_runtime
echo "runtime: targets next < 2 us, may-share < 200 ns, rightdoor next < 5 ms"
./build/bench/bench_runtime 1000000 200
