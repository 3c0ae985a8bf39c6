"""The pydantic models passed between stages.

Every cross-stage model lives here, frozen with ``extra="forbid"`` so that a misspelt field fails loudly
and a stage can never mutate what an earlier stage produced. Stages are plain functions over these
models (see ``profiling``, ``understanding``, ``planning``, ``repair``, ``execution``, ``report``); the
Dagster layer in ``defs/`` only stores them as JSON and wires them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

if TYPE_CHECKING:  # the tagged union of every tool's step, built by the tool registry (see ``PlanStep`` below)
    from .tools import PlanStep

Role = Literal["numeric", "categorical", "temporal", "identifier", "text", "boolean"]
ROLES: tuple[Role, ...] = get_args(Role)

IntentLabel = Literal[
    "general_eda",
    "comparative_analysis",
    "time_series",
    "anomaly_detection",
    "distribution",
    "relationship",
    "composition",
    "ranking",
]
INTENTS: tuple[IntentLabel, ...] = get_args(IntentLabel)

Mark = Literal["bar", "line", "area", "point", "arc", "rect", "boxplot"]
Aggregate = Literal["count", "sum", "mean", "median", "min", "max"]
TimeUnit = Literal["year", "quarter", "month", "week", "day", "hour", "weekday", "month_of_year", "quarter_of_year",
                   "hour_of_day"]
"""Calendar periods, and the cyclic ones that gather every year's (week's, day's) same part: ``weekday``
(Monday … Sunday), ``month_of_year`` (January … December), ``quarter_of_year`` (Q1 … Q4), ``hour_of_day``."""
FilterOp = Literal["eq", "neq", "in", "not_in", "gt", "gte", "lt", "lte", "range"]
DatePart = Literal["year", "quarter", "month", "weekday", "hour"]
"""A part of every date a filter may compare: months 1-12, weekdays 1 (Monday) to 7, hours 0-23."""
Scalar = str | int | float | bool | None


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --------------------------------------------------------------------------------------------------
# profile
# --------------------------------------------------------------------------------------------------
class TopValue(Frozen):
    value: str
    count: int


class ColumnProfile(Frozen):
    """What the pipeline knows about one column: enough to pick charts and check params, never all rows."""

    name: str
    dtype: str = Field(description="dtype after parsing (e.g. float64, datetime64[ns], object)")
    role: Role
    count: int = Field(ge=0, description="non-null values")
    nulls: int = Field(ge=0)
    distinct: int = Field(ge=0)
    min: Scalar = None
    max: Scalar = None
    mean: float | None = None
    std: float | None = None
    median: float | None = None
    top_values: list[TopValue] = Field(default_factory=list)
    values: list[str] = Field(
        default_factory=list, description="every distinct value when there are few (to ground value mentions)"
    )
    samples: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="how the column was parsed, what was assumed")


class ReadOptions(Frozen):
    """How the CSV was read, so every later reader parses it the same way."""

    encoding: str
    delimiter: str
    decimal: str = "."
    thousands: str | None = None


class DatasetProfile(Frozen):
    path: str
    name: str
    sha256: str
    size_bytes: int
    rows: int
    columns: list[ColumnProfile]
    read_options: ReadOptions
    notes: list[str] = Field(default_factory=list)
    columnar_cache: str | None = Field(
        default=None, description="Parquet copy of a large file (engine.py); steps read their columns from it"
    )

    def column(self, name: str) -> ColumnProfile | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def names_with_role(self, *roles: Role) -> list[str]:
        return [c.name for c in self.columns if c.role in roles]


# --------------------------------------------------------------------------------------------------
# understanding
# --------------------------------------------------------------------------------------------------
class ColumnMatch(Frozen):
    """A phrase of the question grounded to a column (or to a value of a column)."""

    phrase: str
    column: str
    method: Literal["exact", "normalized", "lemma", "abbreviation", "synonym", "initialism", "partial", "related",
                    "fuzzy", "value", "derived", "stem"]  # "stem": written by earlier versions, still read back
    score: float = Field(ge=0, le=1)
    value: str | None = None
    alternatives: list[str] = Field(default_factory=list, description="equal-score rivals; non-empty = ambiguous")
    position: int | None = Field(None, ge=0, description="index of the phrase's first word in the question")


class FilterSpec(Frozen):
    column: str
    op: FilterOp
    value: Scalar = None
    values: list[Scalar] = Field(default_factory=list, description="for `in`, `not_in` and `range` ([lo, hi])")
    part: DatePart | None = Field(None, description="compare this part of a date column, whatever the year "
                                                    "(\"in March\": month eq 3; \"on weekends\": weekday in [6, 7])")


class Encoding(Frozen):
    field: str | None = None
    aggregate: Aggregate | None = None
    bin: int | None = Field(default=None, description="max bins when the field is binned")
    time_unit: TimeUnit | None = None


class ChartSpec(Frozen):
    """The chart a question asks for, in Vega-Lite terms but independent of any data."""

    mark: Mark
    x: Encoding | None = None
    y: Encoding | None = None
    color: Encoding | None = None
    size: Encoding | None = Field(default=None, description="marker size of a scatter plot (e.g. a count)")
    filters: list[FilterSpec] = Field(default_factory=list)
    sort: Literal["ascending", "descending"] | None = None
    limit: int | None = Field(default=None, ge=1)
    stacked: bool | None = Field(default=None, description="bars split by colour: stacked (True) or side by side")


class IntentResult(Frozen):
    question: str
    intent: IntentLabel
    confidence: float = Field(ge=0, le=1)
    source: Literal["offline", "llm"]
    matches: list[ColumnMatch] = Field(default_factory=list)
    filters: list[FilterSpec] = Field(default_factory=list)
    aggregate: Aggregate | None = None
    chart_words: list[str] = Field(default_factory=list)
    chart: ChartSpec | None = Field(default=None, description="the chart that answers the question")
    alternatives: list[ColumnMatch] = Field(default_factory=list, description="ambiguous matches kept, not guessed")
    unmatched: list[str] = Field(default_factory=list,
                                 description="words of the question naming a measure that matched no column")
    ungrouped: list[str] = Field(default_factory=list,
                                 description="what a 'by'/'per' of the question names that matched no column")
    notes: list[str] = Field(default_factory=list)
    llm_calls: list["LLMCall"] = Field(default_factory=list, description="model calls made for this stage")


# --------------------------------------------------------------------------------------------------
# planning
# --------------------------------------------------------------------------------------------------
Origin = Literal["question", "template", "llm"]


class ProposedStep(Frozen):
    """A step as proposed by a template, the question parser or a model: untrusted until ``repair.validate_plan``
    has judged it (an unknown tool, a misspelt param or column is repaired or the step dropped, each logged). Its
    params are kept as proposed, so the manifest shows what was proposed; no tool ever receives them."""

    id: str
    tool: str
    params: dict[str, Any] = Field(default_factory=dict)
    title: str | None = None
    origin: Origin = "template"


class ToolStep(Frozen):
    """Base of a validated plan step. ``PlanStep`` is the tagged union of one subclass per registered tool
    (``tools.step_models``): ``tool`` is that tool's name, the tag, and ``params`` that tool's own params model,
    validated once by repair and handed to the tool as it is. A dict, or another tool's params, is refused."""

    @field_validator("params", mode="before", check_fields=False)
    @classmethod
    def _params_of_this_tool(cls, value: Any, info: ValidationInfo) -> Any:
        model = cls.model_fields["params"].annotation
        if info.mode == "python" and not isinstance(value, model):  # JSON (a stored plan) is parsed by the model
            raise ValueError(f"step {info.data.get('id')!r} ({info.data.get('tool')}): params must be a "
                             f"{getattr(model, '__name__', model)}, not {type(value).__name__}; a proposed "
                             "step's params are validated by repair.validate_plan")
        return value


class _HoldsSteps(Frozen):
    """A contract holding ``PlanStep``s: that union is built from the tool registry, which imports this module, so
    the name is resolved when the model is first used (pydantic rebuilds it then, through this method)."""

    @classmethod
    def model_rebuild(cls, **kwargs: Any) -> bool | None:
        from .tools import PlanStep as union

        namespace = {**(kwargs.pop("_types_namespace", None) or {}), "PlanStep": union}
        return super().model_rebuild(_types_namespace=namespace, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "PlanStep":  # ``from .contracts import PlanStep``: the union, once the registry is loaded
        from .tools import PlanStep as union

        return union
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class Plan(Frozen):
    intent: IntentLabel
    template: str
    steps: list[ProposedStep]


class PlanChange(Frozen):
    op: Literal["add", "remove", "modify"]
    step: str
    detail: str


class AdaptedPlan(Frozen):
    before: Plan
    steps: list[ProposedStep]
    changes: list[PlanChange] = Field(default_factory=list)
    llm_raw: str | None = None
    llm_calls: list["LLMCall"] = Field(default_factory=list, description="model calls made for this stage")


class Repair(Frozen):
    step: str
    param: str
    original: Any
    repaired: Any
    score: float = Field(ge=0, le=1)
    method: str


class DroppedStep(Frozen):
    step: str
    reason: str
    tool: str | None = None


class ValidatedPlan(_HoldsSteps):
    steps: list[PlanStep]
    repairs: list[Repair] = Field(default_factory=list)
    dropped: list[DroppedStep] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------
# execution and report
# --------------------------------------------------------------------------------------------------
class StepResult(Frozen):
    step: str
    tool: str
    title: str
    kind: Literal["chart", "table", "text"]
    finding: str = ""
    spec: dict[str, Any] | None = Field(default=None, description="Vega-Lite spec with inline data")
    png: str | None = None
    svg: str | None = None
    spec_path: str | None = None
    table_csv: str | None = None
    table: list[dict[str, Any]] = Field(default_factory=list, description="a preview of the table (<= 50 rows)")
    notes: list[str] = Field(default_factory=list)


class ExecutionResult(Frozen):
    out_dir: str
    results: list[StepResult]
    failed: list[DroppedStep] = Field(default_factory=list)


class LLMCall(Frozen):
    stage: str
    backend: str
    model: str
    latency_ms: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    outcome: str
    fallback_used: bool = False


# --------------------------------------------------------------------------------------------------
# what a model may propose. Docstrings and descriptions are prompt text; ``llm.schemas`` narrows these
# to one dataset (enums of its real columns, the registered tools, the plan's step ids) for the grammar,
# and everything a model returns is validated against these models again.
# --------------------------------------------------------------------------------------------------
def _clip(limit: int):
    """Free text from a model: control characters dropped (grammars let them through), cut to ``limit``."""

    def clip(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        return "".join(ch for ch in value if ch.isprintable() or ch == " ")[:limit]

    return clip


class IntentProposal(Frozen):
    """Classify the question: the kind of analysis it asks for and the dataset columns it is about."""

    intent: IntentLabel = Field(description="the kind of analysis the question asks for")
    confidence: float = Field(ge=0, le=1, description="how sure you are, 0 to 1")
    columns: list[str] = Field(default_factory=list, max_length=4,
                               description="columns the question is about, exactly as listed")


class AddStep(Frozen):
    """adds a chart or table: a listed tool, its params naming listed columns"""

    op: Literal["add"]
    tool: str
    params: dict[str, Any] = Field(default_factory=dict)
    title: Annotated[str, BeforeValidator(_clip(60))] = Field(default="", max_length=60)


class DropStep(Frozen):
    """removes a plan step that does not help answer the question"""

    op: Literal["drop"]
    step: str
    reason: Annotated[str, BeforeValidator(_clip(80))] = Field(default="", max_length=80)


class ModifyStep(Frozen):
    """changes some params of a plan step; the others keep their value"""

    op: Literal["modify"]
    step: str
    params: dict[str, Any] = Field(default_factory=dict)


PatchOp = Annotated[AddStep | DropStep | ModifyStep, Field(discriminator="op")]


class PlanPatch(Frozen):
    """Edit the plan: at most 3 edits in `ops`, none if the plan already answers the question."""

    ops: list[PatchOp] = Field(default_factory=list, max_length=3)
    rationale: Annotated[str, BeforeValidator(_clip(160))] = Field(
        default="", max_length=160, description="one sentence shown in the report")


# --------------------------------------------------------------------------------------------------
# the manifest: manifest.json is ``Manifest.model_dump`` (``Manifest.model_validate_json`` reads it back)
# --------------------------------------------------------------------------------------------------
class ManifestDataset(Frozen):
    path: str
    name: str
    sha256: str
    size_bytes: int
    rows: int
    columns: list[str]
    read_options: ReadOptions


class ManifestIntent(Frozen):
    label: IntentLabel
    confidence: float
    source: Literal["offline", "llm"]
    question: str
    matches: list[ColumnMatch]
    filters: list[FilterSpec]
    aggregate: Aggregate | None
    chart_words: list[str]
    chart: ChartSpec | None
    alternatives: list[ColumnMatch]
    notes: list[str]


class ManifestUnderstanding(Frozen):
    """How the question was read: every grounded phrase, and the ambiguous ones kept, not guessed."""

    matches: list[ColumnMatch]
    alternatives: list[ColumnMatch]
    filters: list[FilterSpec]
    chart: ChartSpec | None
    unmatched: list[str] = Field(description="words that name something to measure, or to group by, and matched "
                                             "no column: said in the report")


class ManifestPlan(_HoldsSteps):
    template: str
    intent: IntentLabel
    before: list[ProposedStep] = Field(description="the template's steps")
    after: list[ProposedStep] = Field(description="the steps as adapted to the question (and by a model)")
    changes: list[PlanChange]
    validated: list[PlanStep] = Field(description="the steps repair let through, with their typed params")


class ManifestChart(Frozen):
    id: str
    title: str
    tool: str
    spec: dict[str, Any] | None
    png: str | None
    svg: str | None
    spec_path: str | None
    finding: str
    notes: list[str]


class ManifestTable(Frozen):
    id: str
    title: str
    tool: str
    csv: str | None
    rows: list[dict[str, Any]]
    finding: str
    notes: list[str]


class ManifestText(Frozen):
    id: str
    title: str
    tool: str
    finding: str
    notes: list[str]


class ManifestDrop(Frozen):
    step: str
    reason: str
    tool: str | None
    stage: Literal["validate", "execute"]


class ManifestFiles(Frozen):
    markdown: str
    html: str
    manifest: str


class Manifest(_HoldsSteps):
    """Everything a run did, as ``manifest.json`` holds it (paths relative to the run's folder)."""

    question: str
    dataset: ManifestDataset
    profile: DatasetProfile
    intent: ManifestIntent
    understanding: ManifestUnderstanding
    plan: ManifestPlan
    charts: list[ManifestChart]
    tables: list[ManifestTable]
    texts: list[ManifestText]
    first_chart_png: str | None
    repairs: list[Repair]
    dropped: list[ManifestDrop]
    llm_calls: list[LLMCall]
    timings: dict[str, float]
    files: ManifestFiles
    created_at: str
    autoviz_version: str


class Report(Frozen):
    out_dir: str
    markdown: str
    html: str
    manifest: str
    first_chart_png: str | None = None


# --------------------------------------------------------------------------------------------------
# the run request, carried from the first stage to the last
# --------------------------------------------------------------------------------------------------
class AnalysisRequest(Frozen):
    question: str
    dataset_path: str
    partition: str
    out_dir: str = Field(description="where this run's report, charts and manifest go")


class ProfiledDataset(Frozen):
    """Output of the profile stage: the request it served and the profile."""

    request: AnalysisRequest
    profile: DatasetProfile


IntentResult.model_rebuild()
AdaptedPlan.model_rebuild()
