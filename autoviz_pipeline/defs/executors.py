"""The job's executor: in-process by default, multiprocess or a dask.distributed cluster by run config.

    execution: {config: {in_process: {}}}                                      # the default
    execution: {config: {multiprocess: {max_concurrent: 2}}}
    execution: {config: {dask: {cluster: {existing: {address: "tcp://scheduler:8786"}}}}}
    execution: {config: {dask: {cluster: {local: {n_workers: 2}}}}}

One job definition serves all three, so dask workers, which rebuild the job from definitions.py, see
the same config schema as the process that launched the run. In-process is the default because a new
Python process per step costs ~7 s on 2 cores.

The dask mode is dagster-dask's executor, with two upstream bugs worked around:

``dagster_dask.DaskExecutor.execute`` (0.29.27) fails on today's dask and misbehaves on a shared cluster:
1. It passes the run and the known execution state to ``client.submit`` as plain arguments; dask
   ≥ 2024.12 walks tuple arguments looking for futures, and Dagster's ``@record`` tuples forbid
   iteration ("Iteration is not allowed on `@record` KeyRangesPartitionsSubset": every partitioned
   run fails).
2. It names each task ``<job>.<step>``, so two runs of one job on one scheduler share task keys and
   the second run silently gets the first run's results (dagster-io/dagster#21418).

``AutovizDaskExecutor`` keeps everything else of dagster-dask — its config schema, cluster types,
``query_on_dask_worker`` (the code that runs a step on a worker) — and only changes the submit call:
the step's dependencies stay visible to dask, the rest travels in an opaque payload, and the task key
carries the run id. Cluster types other than ``existing`` and ``local`` use the upstream code as is.
"""

import dask.distributed
from dagster import Field, Selector
from dagster import _check as check
from dagster import multiple_process_executor_requirements
from dagster._core.definitions.executor_definition import (
    IN_PROC_CONFIG,
    MULTI_PROC_CONFIG,
    _core_in_process_executor_creation,
    _core_multiprocess_executor_creation,
    executor,
)
from dagster._core.events import DagsterEvent
from dagster._core.execution.context.system import PlanOrchestrationContext
from dagster._core.execution.plan.plan import ExecutionPlan
from dagster._utils import iterate_with_context
from dagster._core.errors import raise_execution_interrupts
from dagster_dask import dask_executor as upstream_dask_executor
from dagster_dask.executor import DaskExecutor, get_dask_resource_requirements, query_on_dask_worker


class _StepPayload:
    """Arguments of one step, opaque to dask's argument parsing (pickled as a plain object)."""

    def __init__(self, *args: object) -> None:
        self.args = args


def _run_step(dependencies: list, payload: _StepPayload):
    return query_on_dask_worker(dependencies, *payload.args)


class AutovizDaskExecutor(DaskExecutor):
    def execute(self, plan_context: PlanOrchestrationContext, execution_plan: ExecutionPlan):
        if self.cluster_type not in ("existing", "local"):
            yield from super().execute(plan_context, execution_plan)
            return
        check.invariant(plan_context.instance.is_persistent, "Dask execution requires a persistent DagsterInstance")
        job_name, run = plan_context.job_name, plan_context.dagster_run
        if self.cluster_type == "existing":
            cluster = self.cluster_configuration["address"]
        else:
            cluster = dask.distributed.LocalCluster(**self.build_dict(job_name))
        with dask.distributed.Client(cluster) as client:
            futures, by_step = [], {}
            for level in execution_plan.get_steps_to_execute_by_level():
                for step in level:
                    dependencies = [by_step[key] for step_input in step.step_inputs for key in step_input.dependency_keys]
                    payload = _StepPayload(plan_context.reconstructable_job, run, plan_context.run_config, [step.key],
                                           plan_context.instance.get_ref(), execution_plan.known_state)
                    future = client.submit(_run_step, dependencies, payload, key=f"{job_name}.{run.run_id}.{step.key}",
                                           resources=get_dask_resource_requirements(step.tags), pure=False)
                    futures.append(future)
                    by_step[step.key] = future
            completed = dask.distributed.as_completed(futures, with_results=True)
            for _future, events in iterate_with_context(raise_execution_interrupts, completed):
                for event in events:
                    yield check.inst(event, DagsterEvent)


def _requirements(config):
    return multiple_process_executor_requirements() if ("multiprocess" in config or "dask" in config) else []


@executor(
    name="autoviz_executor",
    config_schema=Field(
        Selector({"in_process": IN_PROC_CONFIG, "multiprocess": MULTI_PROC_CONFIG,
                  "dask": Field(upstream_dask_executor.config_schema.as_field().config_type, is_required=False)}),
        default_value={"in_process": {}},
    ),
    requirements=_requirements,
)
def autoviz_executor(init_context):
    """in_process (default) | multiprocess | dask (dagster-dask's config: ``cluster: {existing | local | …}``)."""
    config = init_context.executor_config
    if "dask" in config:
        ((cluster_type, cluster_configuration),) = (config["dask"] or {}).get("cluster", {"local": {}}).items()
        return AutovizDaskExecutor(cluster_type, cluster_configuration)
    if "multiprocess" in config:
        return _core_multiprocess_executor_creation(config["multiprocess"])
    return _core_in_process_executor_creation(config.get("in_process") or {})
