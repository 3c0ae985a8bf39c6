"""Where things live and the limits that apply, read from ``config/autoviz.yaml``.

The config folder is ``$AUTOVIZ_CONFIG_DIR`` when set, else ``config/`` at the project root. Folders in
the YAML are relative to the project root (the folder that holds ``config/``), so the pipeline works
from any current directory.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def config_dir() -> Path:
    env = os.environ.get("AUTOVIZ_CONFIG_DIR")
    return Path(env).resolve() if env else PACKAGE_ROOT / "config"


def project_root() -> Path:
    return config_dir().parent


class Folders(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    inbox: str = Field("data/inbox", description="watched by the sensor")
    outputs: str = Field("data/outputs", description="one folder per dataset, one subfolder per run")
    storage: str = Field("data/storage", description="intermediate stage outputs (JSON)")
    examples: str = Field("data/examples", description="bundled example datasets")
    cache: str = Field("data/cache", description="columnar (Parquet) copies and profiles of large files")


class Limits(BaseModel):
    """Caps that keep one file from taking the pipeline down; each error that hits one names it."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    settle_seconds: float = Field(5.0, ge=0, description="a file must be unchanged this long before it is read")
    max_charts: int = Field(8, ge=1, le=50, description="most steps (charts and tables) in one report")
    max_file_mb: float = Field(4096.0, gt=0, description="larger CSV files fail at once with a clear message")
    columnar_min_mb: float = Field(
        32.0, ge=0, description="files this large are parsed once into a Parquet cache and profiled on it"
    )
    max_columns: int = Field(5000, ge=1, description="files with more columns fail at once with a clear message")
    max_line_kb: float = Field(
        1024.0, gt=0, description="files with a longer line (or a quoted cell with line breaks longer than this) "
                                  "fail with a clear message, before any parse holds the line in memory"
    )
    stage_timeout_s: float = Field(900.0, ge=0, description="a stage running longer is stopped; 0 turns it off")
    max_question_chars: int = Field(2000, ge=10, description="longer questions are shortened (with a note)")
    max_runs_per_tick: int = Field(100, ge=1, description="most new runs one sensor tick requests; the rest wait "
                                                          "for the next ticks (a tick must end within Dagster's 60 s)")


class AppConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")
    folders: Folders = Folders()
    limits: Limits = Limits()
    default_question: str = "Give an overview of this dataset."

    def path(self, folder: str) -> Path:
        """A folder by name; ``$AUTOVIZ_<NAME>_DIR`` (e.g. AUTOVIZ_OUTPUTS_DIR) overrides the YAML."""
        p = Path(os.environ.get(f"AUTOVIZ_{folder.upper()}_DIR") or getattr(self.folders, folder))
        return p if p.is_absolute() else project_root() / p


@lru_cache(maxsize=8)
def _load(path: str, version: tuple[int, int] | None) -> dict[str, Any]:
    if version is None:
        return {}
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def _version(file: Path) -> tuple[int, int] | None:
    """What tells one content of the file from the next (mtime and size); None when there is no file."""
    try:
        st = file.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size) if file.is_file() else None


def load_config() -> AppConfig:
    """The settings as they are now: the file is read again whenever it changed (a stat per call), and the
    ``AUTOVIZ_*`` variables are looked up on each call, so a run, a sensor tick or a schedule tick started after
    an edit sees the edit, without a restart."""
    file = config_dir() / "autoviz.yaml"
    return AppConfig.model_validate(_load(str(file), _version(file)))
