#!/bin/sh
# The folders are the pipeline: include < base < compiler < verifier < runtime < writers < cli.
# Fails when a file includes a header from a folder above its own, or when library files call each
# other in a circle (read from the symbols of the built objects: `nm`, then `tsort` finds loops).
# Usage: sh scripts/layers.sh [BUILD_DIR]   (default build/, made by `make`)
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
LAYERS="include base compiler verifier runtime writers cli"
bad=0

rank() { # rank of a folder in LAYERS, or nothing
    i=0
    for l in $LAYERS; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
}

# The folder a quoted include names: the first layer that has the file. Generated headers
# (parser.h) belong to the compiler.
home() {
    case $1 in parser.h) echo compiler; return ;; esac
    for l in $LAYERS; do [ -f "$l/$1" ] && { echo "$l"; return; }; done
}

for dir in $LAYERS; do
    r=$(rank "$dir")
    for f in "$dir"/*.c "$dir"/*.h "$dir"/*.l "$dir"/*.y; do
        [ -f "$f" ] || continue
        for h in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
            case $h in */*) echo "layers: $f includes \"$h\" by a path: name the header alone" >&2; bad=1; continue ;; esac
            hd=$(home "$h")
            if [ -z "$hd" ]; then
                echo "layers: $f includes \"$h\", which no folder has" >&2
                bad=1
            elif [ "$(rank "$hd")" -gt "$r" ]; then
                echo "layers: $f ($dir) includes $hd/$h, from a folder above it" >&2
                bad=1
            fi
        done
    done
done

# Circles between library files: an edge from each object to the object defining a symbol it uses.
if [ -f "$B/librightdoor.a" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    for o in $(find "$B" -name '*.o' ! -path "$B/tests/*" ! -path "$B/cli/*" ! -path "$B/bench/*" ! -path "$B/examples/*"); do
        n=${o#"$B"/}
        nm "$o" | awk -v f="$n" '$2 ~ /^[TDBR]$/ { print $3, f }' >>"$tmp/defs"
        nm "$o" | awk -v f="$n" '$1 == "U" { print $2, f }' >>"$tmp/uses"
    done
    sort -u "$tmp/defs" >"$tmp/defs.s"
    sort -u "$tmp/uses" >"$tmp/uses.s"
    # user definer, one pair a line, then every pair also as "x x" so tsort knows lone files
    join "$tmp/uses.s" "$tmp/defs.s" | awk '$2 != $3 { print $2, $3 }' | sort -u >"$tmp/edges"
    if ! tsort "$tmp/edges" >/dev/null 2>"$tmp/loops"; then
        echo "layers: library files call each other in a circle:" >&2
        sed 's/^tsort: /  /' "$tmp/loops" >&2
        bad=1
    fi
    edges=$(wc -l <"$tmp/edges")
else
    echo "layers: $B/librightdoor.a not built; run make first" >&2
    bad=1
fi

if [ $bad -ne 0 ]; then
    echo "layers: 0 passed, 1 failed"
    exit 1
fi
echo "layers: includes only downwards, no circle among $edges calls between files"
echo "layers: 2 passed, 0 failed"
