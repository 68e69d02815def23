#!/bin/sh
# Builds the libFuzzer targets into build-fuzz/ and runs each for SECONDS (default 60), the two
# side by side, one process each, at low priority. Then prints, per target, the executions, the
# coverage (cov: edges, ft: features) and every crash, leak, timeout or OOM file found.
#
#   sh fuzz/run.sh [SECONDS]
#   FUZZ_TARGETS="sop"   only some targets (default: "sop yaml case change")
#   FUZZ_KEEP_GOING=1    fork mode: keep fuzzing past crashes, leaks, timeouts and OOMs, saving each
#
# New corpus entries go to build-fuzz/corpus/TARGET/ (fuzz/corpus/TARGET/ holds the seeds and is
# only read); each run's log and findings go to build-fuzz/runs/STAMP/TARGET/. Exit status 0 when
# nothing was found, 1 when something was, 2 when the build failed.
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
targets=${FUZZ_TARGETS:-sop yaml case change}
mkdir -p build-fuzz
if ! make -f fuzz/Makefile fuzz-build >build-fuzz/build.log 2>&1; then
    tail -30 build-fuzz/build.log
    echo "fuzz: build failed (build-fuzz/build.log)"
    exit 2
fi
stamp=$(date +%Y%m%d-%H%M%S)
run=build-fuzz/runs/$stamp
mkdir -p "$run"
: >"$run/.start"
mode=""
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && mode="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# The seeds are copies of the repository's own files, made here rather than committed twice.
[ -d fuzz/corpus/sop ] && [ -d fuzz/corpus/yaml ] && [ -d fuzz/corpus/case ] && [ -d fuzz/corpus/change ] || sh fuzz/seed.sh

pids=""
for t in $targets; do
    mkdir -p "build-fuzz/corpus/$t" "$run/$t"
    dict=fuzz/sop.dict
    [ "$t" = yaml ] || [ "$t" = case ] || [ "$t" = change ] && dict=fuzz/yaml.dict
    # shellcheck disable=SC2086
    nice -n 10 "build-fuzz/fuzz_$t" $mode -dict="$dict" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$run/$t/" \
        "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"$run/$t/log" 2>&1 &
    pids="$pids $!"
    echo "fuzz: $t running for ${secs}s (pid $!, log $run/$t/log)"
done
for p in $pids; do wait "$p"; done

found=0
for t in $targets; do
    log=$run/$t/log
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -n 1)
    [ -n "$execs" ] || execs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
    cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(ls "build-fuzz/corpus/$t" | wc -l)
    echo "fuzz: $t: ${execs:-?} executions, cov: ${cov:-?} ft: ${ft:-?} (last status line), corpus ${corp} files"
    # One pass over the whole corpus: coverage figures comparable between runs and modes (fork
    # mode's status lines count differently).
    init=$(nice -n 10 "build-fuzz/fuzz_$t" -runs=0 -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        "build-fuzz/corpus/$t" "fuzz/corpus/$t" 2>&1 | grep -E 'INITED' | tail -n 1)
    echo "fuzz: $t: corpus coverage: $(printf '%s\n' "$init" | sed -n 's/.*\(cov: [0-9]* ft: [0-9]*\).*/\1/p')"
    for f in "$run/$t"/crash-* "$run/$t"/leak-* "$run/$t"/timeout-* "$run/$t"/oom-* "$run/$t"/slow-unit-*; do
        [ -e "$f" ] || continue
        found=$((found + 1))
        echo "  found: $f"
    done
    grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | sed 's/^/  /'
done
# A crash or timeout skips the harness's unlink: remove the temporary YAML files of this run.
find /tmp -maxdepth 1 \( -name 'rd-fuzz-yaml-*' -o -name 'rd-fuzz-change-*' \) -newer "$run/.start" -type f -exec rm -f {} + 2>/dev/null
echo "fuzz: $found finding(s)"
[ "$found" -eq 0 ]
