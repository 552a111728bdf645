#!/usr/bin/env python3
"""Score scanners' reports against the labelled corpus of `examples/corpus.rs`.

    python3 benches/corpus-score.py CORPUS NAME=REPORT [NAME=REPORT ...]

A REPORT is any scanner's output (JSON, JSON Lines, SARIF): every corpus file path it
names counts as flagged, so each tool's format is read the same way. For each tool it
prints how many positive files it flagged (recall) and how many negative files (false
alarms). A keyward JSON report is also scored on attribution: the finding in a positive
file names the rule (or variant) the file was written for.
"""
import json
import re
import sys
from pathlib import Path


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    corpus = Path(sys.argv[1])
    labels = [json.loads(l) for l in (corpus / "labels.jsonl").read_text().splitlines() if l]
    positives = {l["path"]: l for l in labels if l["positive"]}
    negatives = {l["path"] for l in labels if not l["positive"]}
    named = re.compile(r"((?:positive|negative)/[A-Za-z0-9_.-]+/[0-9]+/[^\"'\s\\]+)")
    print(f"corpus: {len(positives)} positive files, {len(negatives)} negative files")
    print(f"{'tool':<12} {'positives flagged':>18} {'recall':>7} {'negatives flagged':>18}  attribution")
    for arg in sys.argv[2:]:
        name, _, report = arg.partition("=")
        text = Path(report).read_text(errors="replace")
        flagged = set(named.findall(text))
        pos = sum(1 for p in positives if p in flagged)
        neg = sum(1 for p in negatives if p in flagged)
        attribution = ""
        if name == "keyward":
            findings = json.loads(text)
            right = set()
            for f in findings:
                rel = named.search(f["path"])
                if rel and rel.group(1) in positives:
                    want = positives[rel.group(1)]
                    if f["rule_id"] in (want["rule"], want["variant"]):
                        right.add(rel.group(1))
            attribution = f"{len(right)} of {len(positives)} by the rule written for"
        print(f"{name:<12} {pos:>18} {pos / len(positives):>7.1%} {neg:>18}  {attribution}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
