"""Run ``primary_chart`` over the realworld dev corpus (or the shared kit), score it, print one line.

The run's first chart is scored as ``scored_spec.scored_view`` states it (its transforms, counts, bins and box
plots as the scorer reads them; the inline rows left out).

    python benchmarks/realworld.py [--kit benchmarks/realworld] [--out benchmarks/out] [--failures N]

The corpus is ``benchmarks/realworld`` (336 questions on 18 real tables, gold written before any run); pass
``--kit ../shared/bench/realworld`` for the shared kit (its gold is ``gold.jsonl``). The last line is
``realworld: full=… mark=… fields=… agg=… filter=… n=…``, followed by the time per question (warm: the
table's profile cached; cold: the first question on a table).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from scored_spec import predicted_spec  # noqa: E402  (the run's first chart, as the scorers read it)

METRICS = ("full", "mark", "fields", "agg", "filter")


def load_scorer(kit: Path):
    """The kit's own score.py, imported by path (the corpus carries a copy of the shared kit's scorer; the
    held-out set uses the corpus's)."""
    import importlib.util

    path = kit / "score.py" if (kit / "score.py").is_file() else ROOT / "benchmarks" / "realworld" / "score.py"
    spec = importlib.util.spec_from_file_location("realworld_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kit", type=Path, default=ROOT / "benchmarks" / "realworld")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--failures", type=int, default=0, help="print the first N failing items with reasons")
    parser.add_argument("--ids", help="comma-separated ids (default: all)")
    parser.add_argument("--unblind", action="store_true", help="allow --failures, --ids and details on a BLIND kit")
    args = parser.parse_args()
    blind = (args.kit / "BLIND").is_file() and not args.unblind
    if blind and (args.failures or args.ids):
        print(f"realworld: {args.kit} is blind (its BLIND file): only the aggregate is printed; --failures and --ids "
              "are refused (pass --unblind to read it, and then say in its README that it is no longer blind)",
              file=sys.stderr)
        return 2
    gold_path = next((p for p in (args.kit / "questions.jsonl", args.kit / "gold.jsonl") if p.is_file()), None)
    if gold_path is None:
        print(f"realworld: no questions.jsonl or gold.jsonl in {args.kit}", file=sys.stderr)
        return 2
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.ids:
        wanted = set(args.ids.split(","))
        gold = [g for g in gold if g["id"] in wanted]
    score = load_scorer(args.kit)
    tables = args.kit / "tables"
    args.out.mkdir(parents=True, exist_ok=True)
    cold, warm, seen, results = [], [], set(), []
    preds_path = args.out / f"realworld_{args.kit.resolve().parent.name}_{args.kit.name}_preds.jsonl"
    with open(preds_path, "w", encoding="utf-8") as out:
        for g in gold:
            t = time.perf_counter()
            try:
                pred = {"id": g["id"], "spec": predicted_spec(tables / g["table"], g["question"])}
            except Exception as exc:  # noqa: BLE001 - a benchmark records failures and goes on
                pred = {"id": g["id"], "spec": None, "error": f"{type(exc).__name__}: {exc}"}
            (warm if g["table"] in seen else cold).append((time.perf_counter() - t) * 1000)
            seen.add(g["table"])
            out.write(json.dumps(pred, default=str) + "\n")
            r = score.score_item(g, json.loads(json.dumps(pred, default=str)), str(tables))
            r.update(id=g["id"], category=g["category"], question=g["question"])
            results.append(r)
    by_category = defaultdict(list)
    for r in results:
        by_category[r["category"]].append(r)
    for category, rs in sorted(by_category.items()) if not blind else ():
        print(f"  {category:<14} n={len(rs):<4}" + " ".join(f"{m}={sum(x[m] for x in rs) / len(rs):.2f}"
                                                          for m in METRICS))
    details = preds_path.with_name(preds_path.name.replace("_preds", "_items"))
    if not blind:
        details.write_text("".join(json.dumps(r, default=str) + "\n" for r in results), encoding="utf-8")
    failures = [r for r in results if not r["full"]]
    for r in failures[: args.failures]:
        flags = " ".join(f"{m}={'Y' if r[m] else 'n'}" for m in METRICS[1:])
        print(f"  FAIL {r['id']} {r['question']!r}\n       {flags}  {'; '.join(r['why'])}")
    n = len(results)
    avg = {m: sum(r[m] for r in results) / n if n else 0.0 for m in METRICS}
    print(f"predictions: {preds_path}; errors: {sum(r['error'] for r in results)}")
    print(f"ms/question: warm median {statistics.median(warm) if warm else float('nan'):.1f}, "
          f"cold median {statistics.median(cold) if cold else float('nan'):.1f}")
    print(f"realworld: full={avg['full']:.3f} mark={avg['mark']:.3f} fields={avg['fields']:.3f} "
          f"agg={avg['agg']:.3f} filter={avg['filter']:.3f} n={n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
