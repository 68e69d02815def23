#!/bin/sh
# may-share against Cedar (README "Performance"): 100,000 generated questions about 1,000
# generated cases of the Mae Sot SOP (seed 20240501) through rd_may_share and through cedar-wasm;
# every decision and the rule behind it compared; both rates and where Cedar's time goes.
# Needs Node.js and, once, `npm ci` in bench/cedar. Exit 1 if any decision differs.
# Arguments (all optional): SOP QUESTIONS CASES SEED
set -e
cd "$(dirname "$0")/../.."
if [ ! -d bench/cedar/node_modules/@cedar-policy/cedar-wasm ]; then
    echo "bench/cedar: run \`npm ci\` in bench/cedar first (it installs the pinned @cedar-policy/cedar-wasm)" >&2
    exit 2
fi
make -s rightdoor build/bench/cedar/bench_cedar
./build/bench/cedar/bench_cedar "${1:-examples/mae_sot/mae_sot.sop}" "${2:-100000}" "${3:-1000}" "${4:-20240501}" bench/cedar/out 5
node bench/cedar/bench.mjs bench/cedar/out 1 5000
