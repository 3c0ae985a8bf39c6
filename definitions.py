"""Entry point for `dagster job execute -f definitions.py` and `dagster dev` (see workspace.yaml)."""

from autoviz_pipeline.definitions import autoviz_job, defs

__all__ = ["autoviz_job", "defs"]
