#!/bin/sh
# Rebuilds the seed corpora from the repository: fuzz/corpus/sop/ from every .sop under stdlib/,
# rules/, examples/ (violations included), tests/golden/bad/ and tests/verify/ok/; fuzz/corpus/yaml/
# from every .yaml the repository tracks. Each seed is named after its path (a/b.sop -> a_b.sop).
set -eu
cd "$(dirname "$0")/.."
rm -rf fuzz/corpus/sop fuzz/corpus/yaml fuzz/corpus/case fuzz/corpus/change
mkdir -p fuzz/corpus/sop fuzz/corpus/yaml fuzz/corpus/case fuzz/corpus/change
find stdlib rules examples tests/golden/bad tests/verify/ok -name '*.sop' -type f | sort | while read -r f; do
    cp "$f" "fuzz/corpus/sop/$(printf '%s' "$f" | tr '/' '_')"
done
# The repository's own YAML (what git tracks: not node_modules, not build output).
git ls-files '*.yaml' '*.yml' | grep -v -e '^fuzz/' -e '^tests/regress/' | sort |
    while read -r f; do
        cp "$f" "fuzz/corpus/yaml/$(printf '%s' "$f" | tr '/' '_')"
    done
# Cases: the committed ones (the fuzzer grows its own from there).
for f in examples/*/cases/*.yaml; do cp "$f" "fuzz/corpus/case/$(printf '%s' "$f" | tr '/' '_')"; done
# Changes as `rightdoor case` makes them (fuzz/fuzz_change.c says the format).
printf 's emergency=true\ne permit|life_threat_police|location:district_police|her partner: "outside" # 1\n' >fuzz/corpus/change/permit
printf 't police_referral|location|district_police\ng police_referral\nw police_referral\n' >fuzz/corpus/change/terms
printf 'e step|received\ne choose|referrals.legal\ne inform|right_to_refuse\ns safe_now=unknown\n' >fuzz/corpus/change/events
echo "seeds: $(ls fuzz/corpus/sop | wc -l) sop, $(ls fuzz/corpus/yaml | wc -l) yaml, $(ls fuzz/corpus/case | wc -l) case"
