#!/bin/sh
# One generated SOP through both verifiers: `rightdoor check` and SPIN on the model that
# `rightdoor graph --format promela` writes. Prints one line: the seed, the sizes and each
# principle's verdict from both ("F" fails, "-" holds); exits 1 when they differ or either tool
# could not give a verdict (the line then says why). Called by tests/spin/run.sh.
#   one.sh SEED STEPS FACTS WORKDIR
set -u
seed=$1 steps=$2 facts=$3 work=$4
RIGHTDOOR=${RIGHTDOOR:-./rightdoor}
GEN=${GEN:-build/tests/gen_sop}
PAN_CFLAGS=${PAN_CFLAGS:--O0}
dir="$work/$seed"
mkdir -p "$dir"
"$GEN" "$seed" "$steps" "$facts" > "$dir/gen.sop" || { echo "$seed: the generator failed"; exit 1; }
"$RIGHTDOOR" check --format json "$dir/gen.sop" > "$dir/check.json" 2> "$dir/check.err"
rc=$?
if [ "$rc" -gt 1 ]; then echo "$seed: rightdoor check exited $rc"; exit 1; fi
# error codes reported, one per line
codes=$(awk -F'"' '/"severity":/ { sev = $4 } /"code":/ { if (sev == "error") print $4 }' "$dir/check.json" | sort -u)
for c in $codes; do
    case $c in firewall|firewall2|told_first) ;;
    *) echo "$seed: rightdoor check reports \`$c\`, not a verdict on a principle (see $dir)"; exit 1 ;;
    esac
done
"$RIGHTDOOR" graph --format promela -o "$dir/model.pml" "$dir/gen.sop" || { echo "$seed: no Promela model"; exit 1; }
( cd "$dir" && spin -a model.pml > spin.out 2>&1 && cc $PAN_CFLAGS -DSAFETY -o pan pan.c 2> cc.out ) ||
    { echo "$seed: spin -a or cc failed (see $dir)"; exit 1; }
line="$seed ($steps steps, $facts facts):"
bad=0
for p in firewall firewall2 told_first; do
    ( cd "$dir" && ./pan -m100000 -w16 -N "p_$p" > "pan.$p.out" 2>&1 )
    out="$dir/pan.$p.out"
    if grep -q "max search depth too small" "$out"; then echo "$seed: pan's depth limit cut the search"; exit 1; fi
    if grep -q "errors: 0" "$out"; then s=-; elif grep -q "errors: 1" "$out"; then s=F; else echo "$seed: pan gave no verdict for $p (see $out)"; exit 1; fi
    r=-
    for c in $codes; do [ "$c" = "$p" ] && r=F; done
    line="$line $p rightdoor $r spin $s;"
    [ "$r" = "$s" ] || bad=1
done
if [ $bad = 1 ]; then echo "DISAGREE $line (files in $dir)"; exit 1; fi
echo "$line"
rm -rf "$dir"
