"""Stage outputs as readable JSON, one file per asset and partition: ``<base>/<asset>/<partition>.json``."""


import json
from typing import Any

import dagster as dg
from pydantic import BaseModel, Field
from upath import UPath

from ..fsutil import atomic_write_text


class PydanticJsonIOManager(dg.ConfigurableIOManagerFactory):
    """Stores pydantic contracts as indented JSON and loads them back as the downstream annotation."""

    base_dir: str = Field(description="folder or fsspec URL for intermediate outputs")

    def create_io_manager(self, context: dg.InitResourceContext) -> "_JsonIO":
        return _JsonIO(base_path=UPath(self.base_dir))


class _JsonIO(dg.UPathIOManager):
    extension = ".json"

    def dump_to_path(self, context: dg.OutputContext, obj: Any, path: UPath) -> None:
        text = obj.model_dump_json(indent=2) if isinstance(obj, BaseModel) else json.dumps(obj, indent=2, default=str)
        if getattr(path, "protocol", "") in ("", "file", "local"):
            atomic_write_text(str(path), text)  # never a half-written JSON on a crash
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def load_from_path(self, context: dg.InputContext, path: UPath) -> Any:
        typ = context.dagster_type.typing_type
        text = path.read_text(encoding="utf-8")
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            return typ.model_validate_json(text)
        return json.loads(text)
