"""Stage outputs as readable JSON, one file per asset and partition: ``<base>/<asset>/<partition>.json``."""


import json
import os
from typing import Any

import dagster as dg
from pydantic import BaseModel, Field
from upath import UPath

from ..fsutil import atomic_write_text
from ..inbox import check_partition_key


class PydanticJsonIOManager(dg.ConfigurableIOManagerFactory):
    """Stores pydantic contracts as indented JSON and loads them back as the downstream annotation."""

    base_dir: str = Field(description="folder or fsspec URL for intermediate outputs")

    def create_io_manager(self, context: dg.InitResourceContext) -> "_JsonIO":
        return _JsonIO(base_path=UPath(self.base_dir))


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
        typ = context.dagster_type.typing_type
        text = path.read_text(encoding="utf-8")
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            return typ.model_validate_json(text)
        return json.loads(text)
