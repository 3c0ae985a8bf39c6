"""The bad-input matrix (tests/reliability/cases.py) through the real pipeline, as a table.

    python benchmarks/bad_inputs.py            # every case through the Dagster assets (in-process)
    python benchmarks/bad_inputs.py --cli      # ... and every case through `autoviz run` too (~4 s each)

Prints one line per case and run mode, then the totals: cases tried, succeeded with a report,
failed with a clear error, crashed, data lost (input sha256 changed). Exits 1 if any case crashed,
lost data, or did not do what the case expects.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from tests.reliability.cases import CASES  # noqa: E402
from tests.reliability.runner import Outcome, run_cli, run_dagster  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", action="store_true", help="also run every case through the CLI subprocess")
    parser.add_argument("--only", nargs="*", help="case names to run")
    args = parser.parse_args(argv)

    import logging
    import warnings

    import dagster as dg

    logging.disable(logging.CRITICAL)  # Dagster's own ERROR logs: the table says it all
    warnings.filterwarnings("ignore")
    cases = [c for c in CASES if not args.only or c.name in args.only]
    outcomes: list[tuple[Outcome, bool, str]] = []
    with tempfile.TemporaryDirectory() as tmp, dg.instance_for_test() as instance:
        for case in cases:
            modes = [("dagster", lambda c=case: run_dagster(c, Path(tmp) / "dagster" / c.name, instance))]
            if args.cli:
                modes.append(("cli", lambda c=case: run_cli(c, Path(tmp) / "cli" / c.name)))
            for _, run in modes:
                outcome = run()
                ok, why = outcome.expected(case)
                outcomes.append((outcome, ok, why))
                detail = outcome.message if outcome.status != "report" else "; ".join(outcome.notes)[:110]
                print(f"{case.name:26s} {outcome.mode:7s} {outcome.status:6s} {outcome.seconds:5.1f}s "
                      f"{'ok' if ok else 'UNEXPECTED'}  {' '.join(detail.split())[:150]}", flush=True)
                if not ok:
                    print(f"{'':26s} -> {why}")

    rows = [
        ("cases tried (case × mode)", len(outcomes)),
        ("succeeded with a report (+ notes)", sum(o.status == "report" for o, _, _ in outcomes)),
        ("failed with a clear error", sum(o.status == "error" for o, _, _ in outcomes)),
        ("crashed", sum(o.status == "crash" for o, _, _ in outcomes)),
        ("data lost or altered", sum(not o.intact for o, _, _ in outcomes)),
        ("not as the case expects", sum(not ok for _, ok, _ in outcomes)),
    ]
    print(f"\n{len(cases)} distinct bad inputs\n")
    print("| measure | count |\n|---|---|")
    for label, count in rows:
        print(f"| {label} | {count} |")
    bad = rows[3][1] + rows[4][1] + rows[5][1]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
