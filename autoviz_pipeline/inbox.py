"""Watching a folder for CSV files: which file versions are new, and safe partition keys for them.

Plain functions the Dagster sensor and schedule call. The sensor lists one directory and never reads
the CSVs themselves (sensor evaluations time out after 60 s); only the small question sidecar is read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from .fsutil import atomic_write_text

VALID_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
SIDECAR_SUFFIX = ".question.txt"
MAX_QUESTION_CHARS = 2000
_PARTIAL = (".part", ".tmp", ".crdownload", ".partial", ".download", ".filepart", ".!ut", ".opdownload")
# hidden files (rsync's ".name.XXXXXX", our own ".tmp-*"), Office lock and temp files ("~$book.csv")
_TEMP_PREFIXES = (".", "~")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# in a question, zero-width joiners (Persian, emoji) and direction marks are text: only controls go
_QUESTION_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def check_partition_key(key: str) -> str:
    """The key itself when it is one this project makes (``[A-Za-z0-9._-]``, no ``..``); else a ValueError that
    says so. Keys enter from the sensor, ``autoviz register`` and the UI/API, and stages build paths from them."""
    if not VALID_KEY.fullmatch(key or "") or ".." in key:
        raise ValueError(f"partition key {display_name(key or '')!r} is not a dataset key: keys are file names of "
                         "letters, digits, '.', '_' and '-' (no '..', no '/'); register files with `autoviz register`")
    return key


def not_regular(path: Path) -> str | None:
    """Why an inbox entry is no plain file to read (a symbolic link, a FIFO, a device, a folder), or None.
    Links are never followed: one pointing out of the inbox would run (or leak) a file nobody put there."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return exc.strerror or str(exc)
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link (the inbox reads only regular files; copy the file in instead)"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a folder, FIFO, socket or device)"
    return None


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
    """One version of an inbox CSV: the file's mtime and, when it has one, its question sidecar's (a sidecar added
    or changed after the CSV ran asks a new question: a new version)."""

    path: Path
    partition: str
    mtime_ns: int
    size: int
    sidecar_mtime_ns: int | None = None

    @property
    def run_key(self) -> str:
        side = f"+q{self.sidecar_mtime_ns}" if self.sidecar_mtime_ns is not None else ""
        return f"{self.partition}@{self.mtime_ns}{side}"

    @property
    def display_name(self) -> str:
        return display_name(self.path.name)

    @property
    def token(self) -> int | str:
        """What the sensor cursor keeps for the version (the CSV's mtime alone when it has no sidecar, as before)."""
        return self.mtime_ns if self.sidecar_mtime_ns is None else f"{self.mtime_ns}+q{self.sidecar_mtime_ns}"


def sidecar_path(csv_path: str | Path) -> Path:
    path = Path(csv_path)
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def file_version(path: Path, partition: str, st: os.stat_result | None = None) -> FileVersion:
    """The version of an inbox CSV as it is now (the sensor and the schedule key runs by it)."""
    st = st or path.stat()
    side = sidecar_path(path)
    side_mtime = None
    if os.path.lexists(side) and not_regular(side) is None:
        try:
            side_mtime = os.lstat(side).st_mtime_ns
        except OSError:
            side_mtime = None
    return FileVersion(path=path, partition=partition, mtime_ns=st.st_mtime_ns, size=st.st_size,
                       sidecar_mtime_ns=side_mtime)


def display_name(name: str, limit: int = 200) -> str:
    """A file name safe to show anywhere (tags, logs, JSON): undecodable bytes and control characters
    escaped, bidi overrides made visible, at most ``limit`` characters."""
    text = name.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_utf8_name(name: str) -> bool:
    """False for names holding bytes that are not UTF-8 (they cannot go into Dagster's run config)."""
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def scan_inbox(inbox: str | Path, seen: dict[str, int | str], *, settle_seconds: float,
               now: float | None = None) -> tuple[list[FileVersion], dict[str, int | str], list[str]]:
    """New or modified CSV files that have settled.

    ``seen`` maps file name → the token of the version already handled (the sensor cursor: the CSV's mtime_ns,
    with its sidecar's when it has one). Returns the
    versions to run, the updated map, and human-readable notes on what was skipped and why. Files no
    longer in the inbox leave the map (it stays small; the run key still dedupes if one comes back).
    One unreadable entry never stops the scan: it gets a note and the others go on.
    """
    folder = Path(inbox)
    now = time.time() if now is None else now
    notes: list[str] = []
    found: list[FileVersion] = []
    if not folder.is_dir():
        return [], dict(seen), [f"inbox {folder} does not exist"]
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        return [], dict(seen), [f"inbox {folder} cannot be listed: {exc}"]
    present = {p.name for p in entries}
    updated = {name: mtime for name, mtime in seen.items() if name in present}
    for path in entries:
        name = path.name
        lower = name.lower()
        if name.startswith(_TEMP_PREFIXES) or lower.endswith(_PARTIAL) or not lower.endswith(".csv"):
            continue
        why = not_regular(path)
        if why is not None:
            notes.append(f"skipped {display_name(name)!r}: {why}")
            continue
        try:
            st = path.stat()
        except OSError as exc:
            notes.append(f"skipped {display_name(name)!r}: {exc.strerror or exc}")
            continue
        version = file_version(path, partition_key_for(name), st)
        if seen.get(name) == version.token:
            continue
        changed = max(st.st_mtime_ns, version.sidecar_mtime_ns or 0) / 1e9
        if now - changed < settle_seconds:
            notes.append(f"waiting for {display_name(name)!r} to settle (modified {now - changed:.1f}s ago)")
            continue
        updated[name] = version.token
        found.append(version)
    return found, updated, notes


def sidecar_question(csv_path: str | Path) -> str | None:
    """The question in ``NAME.question.txt`` next to ``NAME.csv``, if any (first 2,000 characters).

    Read as UTF-8 (undecodable bytes replaced), control characters removed, whitespace folded. An
    unreadable sidecar counts as none: the run still goes ahead with the default question.
    """
    side = sidecar_path(csv_path)
    if not os.path.lexists(side) or not_regular(side) is not None:
        return None  # a link (to /proc/self/environ, say) or a FIFO is never read
    try:
        # O_NOFOLLOW: not swapped for a link after the check; O_NONBLOCK: a FIFO put there opens without waiting
        fd = os.open(side, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None
            raw = fh.read(MAX_QUESTION_CHARS * 4).decode("utf-8-sig", errors="replace")[:MAX_QUESTION_CHARS]
    except OSError:
        return None
    text, _ = clean_question(raw, max_chars=MAX_QUESTION_CHARS)
    return text or None


def clean_question(text: str | None, *, max_chars: int = MAX_QUESTION_CHARS) -> tuple[str, list[str]]:
    """A question as one line of printable text, at most ``max_chars`` long, and notes on what changed.

    The question is only ever matched against column names and shown (escaped) in the report; this
    keeps a pasted document or binary junk from slowing the matcher down or garbling the report.
    """
    notes: list[str] = []
    raw = text or ""
    cleaned = " ".join(_QUESTION_CONTROL.sub(" ", raw).split())
    if len(cleaned) > max_chars:
        cut = cleaned[:max_chars]
        cut = cut.rsplit(" ", 1)[0] if " " in cut[max_chars // 2 :] else cut
        notes.append(f"the question was {len(cleaned):,} characters long and was shortened to its first "
                     f"{len(cut):,} (limits.max_question_chars = {max_chars:,})")
        cleaned = cut
    return cleaned, notes


def find_partition_file(inbox: str | Path, partition: str) -> Path | None:
    """The inbox file a partition key stands for (keys may be sanitized names)."""
    folder = Path(inbox)
    if not folder.is_dir():
        return None
    for path in folder.iterdir():
        if not_regular(path) is None and partition_key_for(path.name) == partition:
            return path
    return None


REGISTRY_FILE = ".registered.json"  # in the inbox; hidden, so the sensor never takes it for a dataset


def registry_path(inbox: str | Path) -> Path:
    return Path(inbox) / REGISTRY_FILE


def registered_files(inbox: str | Path) -> dict[str, str]:
    """Partition key → absolute path of the files ``autoviz register`` recorded (empty when none or unreadable)."""
    try:
        data = json.loads(registry_path(inbox).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def register_file(inbox: str | Path, path: str | Path) -> tuple[str, str | None]:
    """Remember where a dataset lives, by its partition key; the file itself is never copied, moved or written.
    Returns the key and the path it stood for before, when that was another file."""
    path = Path(path).resolve()
    key = partition_key_for(path.name)
    files = registered_files(inbox)
    before = files.get(key)
    files[key] = str(path)
    atomic_write_text(registry_path(inbox), json.dumps(files, indent=2, ensure_ascii=False, sort_keys=True))
    return key, before if before != str(path) else None


def dataset_file(inbox: str | Path, partition: str) -> Path | None:
    """The file of a partition when no path is given: the inbox file of that name, else the registered file."""
    found = find_partition_file(inbox, partition)
    if found is not None:
        return found
    registered = registered_files(inbox).get(partition)
    return Path(registered) if registered else None
