"""Stage outputs as readable JSON, one file per asset, partition and run: ``<base>/<asset>/<partition>/<run>.json``.

Per run, not per partition: two runs on one file at once (CLI, sensor, schedule, UI) each read their own upstream
outputs. A stage loaded from outside its run (the UI materializing only the report, say) reads the partition's
latest materialization, found in the instance's event log.
"""


import json
import os
import uuid
from typing import Any

import dagster as dg
from pydantic import BaseModel, Field
from upath import UPath

from ..fsutil import atomic_write_text
from ..inbox import check_partition_key
from ..settings import load_config


class PydanticJsonIOManager(dg.ConfigurableIOManagerFactory):
    """Stores pydantic contracts as indented JSON and loads them back as the downstream annotation."""

    base_dir: str | None = Field(default=None, description="folder or fsspec URL for intermediate outputs (default: "
                                 "folders.storage of config/autoviz.yaml or $AUTOVIZ_STORAGE_DIR, read when the run "
                                 "starts)")

    def create_io_manager(self, context: dg.InitResourceContext) -> "_JsonIO":
        return _JsonIO(base_path=UPath(self.base_dir or str(load_config().path("storage"))))


class _JsonIO(dg.UPathIOManager):
    extension = ".json"

    def _inside(self, context: dg.OutputContext | dg.InputContext, path: UPath) -> None:
        """Writes and reads stay under the base folder whatever the partition key (the UI or API can add any)."""
        if context.has_partition_key:
            try:
                check_partition_key(context.partition_key)
            except ValueError as exc:
                raise dg.Failure(description=str(exc)) from None
        if getattr(path, "protocol", "") in ("", "file", "local"):
            base = os.path.realpath(str(self._base_path))
            if os.path.commonpath([base, os.path.realpath(str(path))]) != base:
                raise dg.Failure(description=f"refusing to use {str(path)!r}: outside the storage folder {base!r}")

    def get_path_for_partition(self, context: dg.InputContext | dg.OutputContext, path: UPath,
                               partition: str) -> UPath:
        return self.make_safe_partition_path(path, partition) / _run_of(context, partition)

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        self._inside(context, path)
        text = obj.model_dump_json(indent=2) if isinstance(obj, BaseModel) else json.dumps(obj, indent=2, default=str)
        if getattr(path, "protocol", "") in ("", "file", "local"):
            atomic_write_text(str(path), text)  # never a half-written JSON on a crash
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        self._inside(context, path)
        if not path.exists():
            raise dg.Failure(description=f"no stored output of {context.asset_key.to_user_string()} for partition "
                             f"{context.partition_key!r} (looked for {str(path)!r}): materialize the upstream "
                             "stages of this partition first")
        typ = context.dagster_type.typing_type
        text = path.read_text(encoding="utf-8")
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            return typ.model_validate_json(text)
        return json.loads(text)


def _run_of(context: dg.InputContext | dg.OutputContext, partition: str) -> str:
    """The run whose output this is: the writing run; for an input, the run that made it (this run, or the parent
    run of a re-execution), else the partition's latest materialization; "none" when there is none."""
    if isinstance(context, dg.OutputContext):
        return context.run_id
    upstream = context.upstream_output
    try:
        run_id = upstream.run_id if upstream is not None else None
    except dg.DagsterInvariantViolationError:
        run_id = None
    if run_id and _is_run_id(run_id):
        return run_id
    # an asset loaded from outside this run: no producing step (Dagster gives a placeholder, "__EPHEMERAL_RUN_ID")
    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=context.asset_key, asset_partitions=[partition]), limit=1).records
    return records[0].run_id if records else "none"


def _is_run_id(text: str) -> bool:
    """A real run id (a UUID), not a placeholder."""
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
