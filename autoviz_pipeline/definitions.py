"""The one ``Definitions`` object: six stage assets, a job, the inbox sensor, a schedule, resources."""

from __future__ import annotations

import dagster as dg

from .defs.assets import ASSETS, GROUP, IO
from .defs.executors import autoviz_executor
from .defs.loggers import progress_logger
from .defs.io_managers import PydanticJsonIOManager
from .defs.resources import LLMResource, PipelineSettings
from .defs.sensors import make_failure_sensor, make_inbox_sensor, make_refresh_schedule, make_watchdog_sensor

autoviz_job = dg.define_asset_job("autoviz_job", selection=dg.AssetSelection.groups(GROUP),
                                  description="CSV + question → profile, intent, plan, repairs, charts, report.",
                                  executor_def=autoviz_executor)


def build_resources() -> dict[str, object]:
    """Nothing is read from config/autoviz.yaml here: each resource reads it when a run or a tick starts."""
    return {"settings": PipelineSettings(), "llm": LLMResource(), IO: PydanticJsonIOManager()}


defs = dg.Definitions(
    assets=ASSETS,
    jobs=[autoviz_job],
    sensors=[make_inbox_sensor(autoviz_job), make_failure_sensor(autoviz_job), make_watchdog_sensor(autoviz_job)],
    schedules=[make_refresh_schedule(autoviz_job)],
    resources=build_resources(),
    loggers={"console": dg.colored_console_logger, "progress": progress_logger},
    executor=dg.in_process_executor,  # for the implicit asset job (UI materializations) too
)
