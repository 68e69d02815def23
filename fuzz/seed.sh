#!/bin/sh
# Rebuilds the seed corpora from the repository: fuzz/corpus/sop/ from every .sop under stdlib/,
# rules/, examples/ (violations included), tests/golden/bad/ and tests/verify/ok/; fuzz/corpus/yaml/
# from every .yaml the repository tracks. Each seed is named after its path (a/b.sop -> a_b.sop).
set -eu
cd "$(dirname "$0")/.."
rm -rf fuzz/corpus/sop fuzz/corpus/yaml fuzz/corpus/case
mkdir -p fuzz/corpus/sop fuzz/corpus/yaml fuzz/corpus/case
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
echo "seeds: $(ls fuzz/corpus/sop | wc -l) sop, $(ls fuzz/corpus/yaml | wc -l) yaml, $(ls fuzz/corpus/case | wc -l) case"
