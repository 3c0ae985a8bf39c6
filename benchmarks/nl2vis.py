"""Run ``primary_chart`` over the nl2vis dev set, write predictions, score them with the kit's score.py.

The predictions are the run's first charts as ``scored_spec.scored_view`` states them (transforms, counts, bins
and box plots as the kit's scorer reads them; the inline rows left out).

    python benchmarks/nl2vis.py [--bench ../shared/bench/nl2vis] [--out benchmarks/out] [--limit N]

Prints progress, the scorer's report (ending with its ``nl2vis dev: ...`` line) and timing per question:
cold (first question on a table: read + profile) and warm (profile cached).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from scored_spec import predicted_spec  # noqa: E402  (the run's first chart, as the scorers read it)


def default_bench() -> Path:
    for candidate in (ROOT.parent / "shared" / "bench" / "nl2vis", ROOT / "shared" / "bench" / "nl2vis"):
        if (candidate / "dev.jsonl").is_file():
            return candidate
    return ROOT.parent / "shared" / "bench" / "nl2vis"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bench", type=Path, default=default_bench())
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--limit", type=int, default=None, help="only the first N questions")
    args = parser.parse_args()
    dev = args.bench / "dev.jsonl"
    if not dev.is_file():
        print(f"nl2vis: {dev} not found; pass --bench PATH/TO/nl2vis", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    preds_path = args.out / "nl2vis_preds.jsonl"
    items = [json.loads(line) for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.limit:
        items = items[: args.limit]
    cold, warm, errors = [], [], 0
    seen_tables: set[str] = set()
    with open(preds_path, "w", encoding="utf-8") as out:
        for i, item in enumerate(items, 1):
            csv_path = args.bench / item["table"]
            t = time.perf_counter()
            try:
                rec = {"id": item["id"], "spec": predicted_spec(csv_path, item["question"])}
            except Exception as exc:  # noqa: BLE001 - a benchmark records failures and goes on
                errors += 1
                rec = {"id": item["id"], "spec": None, "error": repr(exc)}
            ms = (time.perf_counter() - t) * 1000
            (warm if item["table"] in seen_tables else cold).append(ms)
            seen_tables.add(item["table"])
            out.write(json.dumps(rec, default=str) + "\n")
            if i % 100 == 0:
                print(f"  {i}/{len(items)} questions", file=sys.stderr)
    score_args = [sys.executable, str(args.bench / "score.py"), str(preds_path),
                  "--per-item", str(args.out / "nl2vis_items.jsonl"), "--json", str(args.out / "nl2vis_metrics.json")]
    if args.limit:
        score_args.append("--only-predicted")
    print(f"predictions: {preds_path} ({errors} errors)")
    print(f"ms/question: warm median {statistics.median(warm) if warm else float('nan'):.1f}, "
          f"cold median {statistics.median(cold) if cold else float('nan'):.1f} "
          f"({len(warm)} warm, {len(cold)} cold)")
    sys.stdout.flush()
    return subprocess.call(score_args, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


if __name__ == "__main__":
    sys.exit(main())
