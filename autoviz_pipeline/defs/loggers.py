"""A compact progress logger for the CLI: one line per stage message on stderr, no run ids or timestamps."""

import logging
import sys

import dagster as dg


class _StageFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, "dagster_meta", None) or {}
        stage = meta.get("step_key") or "run"
        return f"  {stage}: {meta.get('orig_message') or record.getMessage()}"


def _stage_messages_only(record: logging.LogRecord) -> bool:
    """What the stages report as progress (context.log.info), not Dagster's own events and warnings
    ("step failed", "dependencies … not executing"): the CLI prints the one error that matters itself."""
    meta = getattr(record, "dagster_meta", None) or {}
    return meta.get("dagster_event") is None and record.levelno == logging.INFO


@dg.logger(
    config_schema={"log_level": dg.Field(str, is_required=False, default_value="INFO")},
    description="Stage progress for `autoviz run`: 'dataset_profile: 10,000,000 rows profiled', 'step_results: step 2/5 …'",
)
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.Logger("autoviz.progress", level=init_context.logger_config["log_level"])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_StageFormatter())
    handler.addFilter(_stage_messages_only)
    logger.addHandler(handler)
    return logger
