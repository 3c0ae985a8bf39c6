"""Watching a folder for CSV files: which file versions are new, and safe partition keys for them.

Plain functions the Dagster sensor and schedule call. The sensor lists one directory and never reads
the CSVs themselves (sensor evaluations time out after 60 s); only the small question sidecar is read.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path

VALID_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
SIDECAR_SUFFIX = ".question.txt"
MAX_QUESTION_CHARS = 2000
_PARTIAL = (".part", ".tmp", ".crdownload", ".partial", ".download")


def partition_key_for(file_name: str) -> str:
    """A Dagster-safe partition key: the file name itself when it is safe, else a sanitized name + hash.

    Dynamic partition keys are not validated by Dagster (``...``, commas, tabs pass) and the JSON IO
    manager turns keys into paths, so only ``[A-Za-z0-9._-]`` keys without ``..`` are used as they are.
    """
    if VALID_KEY.fullmatch(file_name) and ".." not in file_name:
        return file_name
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", Path(file_name).stem).strip("_")[:60] or "dataset"
    digest = hashlib.sha256(file_name.encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return f"{cleaned}-{digest}.csv"


@dataclass(frozen=True)
class FileVersion:
    path: Path
    partition: str
    mtime_ns: int
    size: int

    @property
    def run_key(self) -> str:
        return f"{self.partition}@{self.mtime_ns}"


def scan_inbox(inbox: str | Path, seen: dict[str, int], *, settle_seconds: float,
               now: float | None = None) -> tuple[list[FileVersion], dict[str, int], list[str]]:
    """New or modified CSV files that have settled.

    ``seen`` maps file name → mtime_ns of the version already handled (the sensor cursor). Returns the
    versions to run, the updated map, and human-readable notes on what was skipped and why.
    """
    folder = Path(inbox)
    now = time.time() if now is None else now
    notes: list[str] = []
    found: list[FileVersion] = []
    updated = dict(seen)
    if not folder.is_dir():
        return [], updated, [f"inbox {folder} does not exist"]
    for path in sorted(folder.iterdir()):
        name = path.name
        if name.startswith(".") or name.lower().endswith(_PARTIAL) or not name.lower().endswith(".csv"):
            continue
        try:
            st = path.stat()
        except OSError as exc:
            notes.append(f"skipped {name!r}: {exc}")
            continue
        if not path.is_file():
            continue
        if seen.get(name) == st.st_mtime_ns:
            continue
        if now - st.st_mtime < settle_seconds:
            notes.append(f"waiting for {name!r} to settle (modified {now - st.st_mtime:.1f}s ago)")
            continue
        updated[name] = st.st_mtime_ns
        found.append(FileVersion(path=path, partition=partition_key_for(name), mtime_ns=st.st_mtime_ns, size=st.st_size))
    return found, updated, notes


def sidecar_question(csv_path: str | Path) -> str | None:
    """The question in ``NAME.question.txt`` next to ``NAME.csv``, if any (first 2,000 characters)."""
    path = Path(csv_path)
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not side.is_file():
        return None
    with open(side, encoding="utf-8", errors="replace") as fh:
        text = " ".join(fh.read(MAX_QUESTION_CHARS).split())
    return text or None


def find_partition_file(inbox: str | Path, partition: str) -> Path | None:
    """The inbox file a partition key stands for (keys may be sanitized names)."""
    folder = Path(inbox)
    if not folder.is_dir():
        return None
    for path in folder.iterdir():
        if path.is_file() and partition_key_for(path.name) == partition:
            return path
    return None
