"""Hostile shapes (issue #12, point 3): files whose shape, not their size, used to take the memory.

    python benchmarks/hostile_shapes.py                  # every shape, each through `autoviz run` in a fresh process
    python benchmarks/hostile_shapes.py --only no_newline_200mb huge_cells
    python benchmarks/hostile_shapes.py --cap-gb 0       # no address-space cap (the default caps each run at 6 GB)

Each shape is generated in a temp folder (deleted after), run through the whole pipeline with the CLI
(``python -m autoviz_pipeline.cli run FILE QUESTION --out DIR``, storage, outputs and cache in the temp
folder), and reported with its outcome (``ok`` or the first line of the error), wall seconds, peak RSS
(``os.wait4``'s rusage of that process) and the largest files the run wrote. A run is capped
(``RLIMIT_AS``, ``--cap-gb``) and timed out (``--timeout``) so that a regression cannot take the shared
machine down; a capped run shows as ``MemoryError``/killed. Targets: each shape ≤ 2 GB peak RSS and
≤ 60 s, with a report or a clear error (one sentence, no exception name), no stored JSON (stage outputs,
manifest) over 10 MB, and the input never modified.
Exits 1 when a shape misses a target.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
TARGET_RSS_MB = 2048
TARGET_SECONDS = 60.0
TARGET_JSON_MB = 10.0
"""Stored stage outputs and the manifest hold profiles and samples, never cells in full: none this large."""
_UNCLEAR = re.compile(r"\b\w*(Error|Exception|Panic)\b:|internal error|Traceback")


def _write_repeated(fh, unit: bytes, total: int) -> None:
    block = unit * max(1, (4 * MB) // len(unit))
    left = total
    while left > 0:
        piece = block[: min(left, len(block))]
        fh.write(piece)
        left -= len(piece)


def no_newline_200mb(path: Path) -> str:
    """200 MB of text on one line, no newline anywhere (a header that never ends)."""
    with open(path, "wb") as fh:
        _write_repeated(fh, b"abcdefghij klmnopqrstuvwxyz0123456789 ", 200 * MB)
    return "Give an overview of this dataset."


def long_header_3m_rows(path: Path) -> str:
    """A 1,000,000-character column name, then 3 M ordinary rows (~48 MB)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("n" * 1_000_000 + ",amount,region\n")
        regions = ["north", "south", "east", "west"]
        fh.writelines(f"{i},{(i * 37) % 1000}.5,{regions[i % 4]}\n" for i in range(3_000_000))
    return "amount by region"


def _table_with_big_cells(path: Path, *, rows: int, at: tuple[int, ...], filler: str, size: int) -> str:
    """An ordinary id,comment,amount table whose ``comment`` in the rows ``at`` is one quoted cell of ``size``
    characters of ``filler`` repeated."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id,comment,amount\n")
        for i in range(rows):
            if i in at:
                fh.write(f'{i},"')
                _write_repeated(fh, filler, size)
                fh.write(f'",{i}.5\n')
            else:
                fh.write(f"{i},note {i % 7},{i}.5\n")
    return "amount by comment"


def huge_cells(path: Path) -> str:
    """A normal 1,000-row table with two quoted 50 MB cells on one line each (~100 MB: the columnar path)."""
    return _table_with_big_cells(path, rows=1000, at=(10, 500), filler="lorem ipsum dolor sit amet ", size=50 * MB)


def huge_multiline_cell(path: Path) -> str:
    """One quoted 50 MB cell made of short lines (no line is long: only a CSV parser sees the cell), ~50 MB."""
    return _table_with_big_cells(path, rows=1000, at=(500,), filler="a quoted cell with line breaks\n", size=50 * MB)


def huge_multiline_cell_small_file(path: Path) -> str:
    """The same with a 20 MB cell, in a file small enough for the pandas path (below limits.columnar_min_mb)."""
    return _table_with_big_cells(path, rows=200, at=(3,), filler="x" * 99 + "\n", size=20 * MB)


def long_cells_under_the_limit(path: Path) -> str:
    """200 rows, each with a distinct 500 KB text cell (under limits.max_line_kb: a report, not an error), ~100 MB."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("id,region,comment,amount\n")
        for i in range(200):
            fh.write(f"{i},{'NSEW'[i % 4]},{i} ")
            _write_repeated(fh, "long text without commas ", 500 * 1024)
            fh.write(f",{i}.5\n")
    return "amount by comment"


def many_columns(path: Path, columns: int = 5000, rows: int = 2000) -> str:
    """As many columns as limits.max_columns allows (5,000), 2,000 rows of numbers (~45 MB)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(f"metric_{j}" for j in range(columns)) + "\n")
        for i in range(rows):
            fh.write(",".join(str((i * 31 + j * 7) % 1000) for j in range(columns)) + "\n")
    return "Give an overview of this dataset."


def long_line_in_middle(path: Path) -> str:
    """100,000 ordinary rows with one unquoted 100 MB line in the middle."""
    regions = ["north", "south", "east", "west"]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("date,region,amount\n")
        for i in range(100_000):
            if i == 50_000:
                _write_repeated(fh, "garbage without delimiters ", 100 * MB)
                fh.write("\n")
            fh.write(f"2024-{1 + i % 12:02d}-{1 + i % 28:02d},{regions[i % 4]},{i % 997}.25\n")
    return "amount by region"


SHAPES: dict[str, Callable[[Path], str]] = {
    "no_newline_200mb": no_newline_200mb,
    "long_header_3m_rows": long_header_3m_rows,
    "huge_cells": huge_cells,
    "huge_multiline_cell": huge_multiline_cell,
    "huge_multiline_cell_small_file": huge_multiline_cell_small_file,
    "long_cells_under_the_limit": long_cells_under_the_limit,
    "many_columns": many_columns,
    "long_line_in_middle": long_line_in_middle,
}


@dataclass
class Result:
    shape: str
    file_mb: float
    outcome: str
    seconds: float
    rss_mb: float
    largest: list[tuple[str, int]]
    largest_json: tuple[str, int] | None
    intact: bool

    @property
    def clear(self) -> bool:
        """A report, or an error the CLI printed as one sentence (no exception names, no traceback)."""
        return self.outcome == "ok" or (self.outcome.startswith(("exit 1:", "exit 2:"))
                                        and not _UNCLEAR.search(self.outcome))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(MB):
            digest.update(block)
    return digest.hexdigest()


def _largest(folder: Path, n: int = 3) -> list[tuple[str, int]]:
    files = [(p, p.stat().st_size) for p in folder.rglob("*") if p.is_file()]
    files.sort(key=lambda x: -x[1])
    return [(str(p.relative_to(folder)), size) for p, size in files[:n]]


def run_shape(name: str, work: Path, *, cap_gb: float, timeout: float) -> Result:
    folder = work / name
    folder.mkdir(parents=True)
    csv = folder / f"{name}.csv"
    question = SHAPES[name](csv)
    size = csv.stat().st_size
    before = _sha256(csv)
    run = folder / "run"
    env = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(run / "storage"), "AUTOVIZ_OUTPUTS_DIR": str(run / "outputs"),
           "AUTOVIZ_CACHE_DIR": str(run / "cache"), "MPLBACKEND": "Agg"}
    env.pop("DAGSTER_HOME", None)

    def limit() -> None:
        os.setsid()
        if cap_gb > 0:
            cap = int(cap_gb * 1024**3)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    stderr_file = folder / "stderr.txt"
    started = time.perf_counter()
    with open(stderr_file, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "autoviz_pipeline.cli", "run", str(csv), question,
                                 "--out", str(run / "report")], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=err, preexec_fn=limit)
        status, usage, timed_out = _wait(proc, timeout)
    seconds = time.perf_counter() - started
    stderr = stderr_file.read_text(encoding="utf-8", errors="replace")
    if timed_out:
        outcome = f"TIMEOUT after {timeout:g} s"
    elif os.WIFSIGNALED(status):
        outcome = f"KILLED by signal {os.WTERMSIG(status)}"
    elif os.WEXITSTATUS(status) == 0:
        outcome = "ok"
    else:
        lines = [line for line in stderr.splitlines() if line.startswith("autoviz:")]
        first = lines[0] if lines else (stderr.strip().splitlines() or ["?"])[-1]
        outcome = f"exit {os.WEXITSTATUS(status)}: {first}"
    intact = _sha256(csv) == before
    largest = _largest(run) if run.is_dir() else []
    jsons = [(str(p.relative_to(run)), p.stat().st_size) for p in run.rglob("*.json")] if run.is_dir() else []
    result = Result(name, size / MB, outcome, seconds, usage.ru_maxrss / 1024 if usage else float("nan"), largest,
                    max(jsons, key=lambda x: x[1], default=None), intact)
    shutil.rmtree(folder, ignore_errors=True)
    return result


def _wait(proc: subprocess.Popen, timeout: float):
    """Wait for the process alone (``os.wait4``: its own peak RSS), killing its group after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = status
            return status, usage, False
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = status
            return status, usage, True
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=list(SHAPES), help="shapes to run (default: all)")
    parser.add_argument("--cap-gb", type=float, default=6.0, help="address-space cap per run (0: none)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is killed")
    args = parser.parse_args(argv)
    names = args.only or list(SHAPES)
    misses = 0
    work = Path(tempfile.mkdtemp(prefix="autoviz-hostile-"))
    print(f"{'shape':32s} {'file MB':>8s} {'wall s':>7s} {'peak MB':>8s}  outcome")
    try:
        for name in names:
            r = run_shape(name, work, cap_gb=args.cap_gb, timeout=args.timeout)
            json_mb = r.largest_json[1] / MB if r.largest_json else 0.0
            ok = (r.rss_mb <= TARGET_RSS_MB and r.seconds <= TARGET_SECONDS and r.intact and r.clear
                  and json_mb <= TARGET_JSON_MB)
            misses += not ok
            print(f"{r.shape:32s} {r.file_mb:8.1f} {r.seconds:7.1f} {r.rss_mb:8.0f}  {'' if ok else 'MISS '}"
                  f"{r.outcome[:400]}", flush=True)
            if not r.intact:
                print(f"{'':32s} the input file was modified")
            for path, size in r.largest:
                print(f"{'':32s}   {size / MB:9.2f} MB  {path}")
            if r.largest_json:
                print(f"{'':32s}   {json_mb:9.2f} MB  largest JSON: {r.largest_json[0]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntargets: peak RSS <= {TARGET_RSS_MB} MB, wall <= {TARGET_SECONDS:g} s, a report or a clear error, "
          f"no stored JSON over {TARGET_JSON_MB:g} MB, input unchanged; "
          f"{len(names) - misses}/{len(names)} shapes met them")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
