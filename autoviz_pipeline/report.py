"""The report stage: ``report.md``, a self-contained ``report.html`` and ``manifest.json``.

All three are built from the stage contracts only (no pandas, no re-reading the CSV). Every piece of text
that comes from the data or the question (column names, cell values, findings, titles, the question itself,
LLM outcomes...) goes through :func:`markdown_escape` or :func:`html_escape`, the only two escaping
functions of the package, so a column named ``<script>`` or ``[click](http://evil)`` renders as literal text.

report.html also draws each chart from its Vega-Lite spec, with the scripts of :mod:`autoviz_pipeline.vendor`
inlined and allowed by their hashes in its Content-Security-Policy; the specs are JSON data (``_script_json``
keeps their text from ending its element), and the chart's PNG stays the chart without JavaScript.

Files are written atomically (temp file in the same folder, then ``os.replace``), the manifest last, so a
reader that sees ``manifest.json`` can trust the report files next to it are complete.
"""

from __future__ import annotations

import base64
import csv
import datetime as _dt
import html
import json
import logging
import math
import os
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel

from .fsutil import atomic_write_text
from .contracts import (
    AdaptedPlan,
    ColumnProfile,
    DatasetProfile,
    ExecutionResult,
    IntentResult,
    LLMCall,
    Manifest,
    ManifestChart,
    ManifestDataset,
    ManifestDrop,
    ManifestFiles,
    ManifestIntent,
    ManifestPlan,
    ManifestTable,
    ManifestText,
    ManifestUnderstanding,
    Report,
    StepResult,
    ValidatedPlan,
)
from .tools.caps import CAPS, MB
from .vendor import SCRIPTS as VENDORED_SCRIPTS
from .vendor import csp_hash
from .vendor import script as vendor_script

logger = logging.getLogger(__name__)

TABLE_PREVIEW_ROWS = 20
REPORT_MD = "report.md"
REPORT_HTML = "report.html"
MANIFEST_JSON = "manifest.json"


# --------------------------------------------------------------------------------------------------
# escaping: the single place
# --------------------------------------------------------------------------------------------------
# ASCII punctuation that means something somewhere in CommonMark/GFM inline or table syntax
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
_MD_NEWLINES = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


MAX_TEXT_CHARS = 2000
"""Longest data-derived text shown in one place (a 10 MB cell must not become a 10 MB report line)."""
# control characters, and the bidi embeddings, overrides and isolates (U+202A-E, U+2066-9) that would reverse or
# reorder the text around a value ("\u202eeunever" showing as "revenue…" backwards)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def plain_text(text: Any) -> str:
    """Data-derived text for a terminal line: control and bidi-override characters dropped."""
    return _CONTROL_CHARS.sub("", "" if text is None else str(text))


def clip(text: str, limit: int | None = MAX_TEXT_CHARS) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis, and the count of what was cut."""
    if limit is None or len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text) - limit + 1:,} more characters)"


def markdown_escape(text: Any, *, limit: int | None = MAX_TEXT_CHARS) -> str:
    """Escape data-derived text for Markdown inline context (paragraphs, headings, table cells, alt text).

    Backslash-escapes every character with inline meaning (emphasis, code, links, images, raw HTML,
    entities, table pipes), folds newlines into spaces (a cell or heading must stay on one line), defuses
    line-start block syntax (``- x``, ``1. x``) and GFM bare autolinks (``http://``, ``www.``), drops
    control characters and shortens text over ``limit`` characters.
    """
    s = clip("" if text is None else str(text), limit)
    s = _CONTROL_CHARS.sub("", _MD_NEWLINES.sub(" ", s).replace("\t", " "))
    s = _MD_SPECIAL.sub(r"\\\1", s)
    # block syntax that only matters at the start of a line: bullets / thematic breaks ("- x", "---", but
    # not a negative number "-3.2") and ordered lists ("1. x", "2) x", but not a decimal "1.5")
    s = re.sub(r"^(\s*)([-+])(?!\d)", r"\1\\\2", s)
    s = re.sub(r"^(\s*\d{1,9})([.)])(?=\s|$)", r"\1\\\2", s)
    # GFM extended autolinks: break "scheme://" and "www." so a URL stays plain text
    s = re.sub(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)", r"\1\\:", s)
    s = re.sub(r"(?i)\b(www)\.", r"\1\\.", s)
    return s


def html_escape(text: Any, *, limit: int | None = MAX_TEXT_CHARS) -> str:
    """Escape data-derived text for HTML element content and quoted attribute values.

    Control characters (invalid in HTML) are dropped and text over ``limit`` characters is shortened.
    """
    return html.escape(_CONTROL_CHARS.sub("", clip("" if text is None else str(text), limit)), quote=True)


# --------------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------------
_ISO_STAMP = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d)(?::(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d:?\d\d)?")


def _stamp(text: str) -> str:
    """An ISO timestamp as a reader writes it: ``2024-04-30T00:00:00.000`` → ``2024-04-30``,
    ``2024-01-01T10:05:00`` → ``2024-01-01 10:05``; seconds, fractions and a zone only where they say something."""
    match = _ISO_STAMP.fullmatch(text)
    if match is None:
        return text
    day, minutes, seconds, fraction, zone = match.groups()
    fraction = (fraction or "").rstrip("0")
    if minutes == "00:00" and not (seconds or "").strip("0") and not fraction and not zone:
        return day
    clock = minutes + (f":{seconds}" if (seconds or "").strip("0") or fraction else "")
    return f"{day} {clock}{'.' + fraction if fraction else ''}{zone or ''}"


def _fmt(value: Any, *, group_from: int = 10_000) -> str:
    """A display string for a cell value (not escaped): ints with thousands separators from ``group_from`` (in
    running text 10,000: a year or a code keeps its digits; tables group from 1,000 but in columns of years and
    codes, see :func:`_table_cells`), other numbers with no decimals from 1,000, at most two from 1, three
    significant digits below; ISO timestamps as dates (:func:`_stamp`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
        if value.is_integer() and abs(value) < 1e15:
            return _fmt(int(value), group_from=group_from)
        magnitude = abs(value)
        if magnitude >= 1000:
            return f"{value:,.0f}"  # 1,070,743 (never 1.07074e+06 beside 949853)
        if magnitude >= 1:
            return f"{value:.2f}".rstrip("0").rstrip(".")
        return format(value, ".3g")
    if isinstance(value, int) and abs(value) >= group_from:
        return f"{value:,}"  # counts and sums; years and small codes stay as written
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):  # numpy scalar
        try:
            return _fmt(value.item(), group_from=group_from)
        except (TypeError, ValueError):
            pass
    if isinstance(value, (_dt.datetime, _dt.date)):
        return _stamp(value.isoformat())
    return _stamp(value) if isinstance(value, str) else str(value)


def _four_digits(col: ColumnProfile) -> bool:
    """A column of whole four-digit numbers close together (years, codes): shown as written, 2024 and not 2,024;
    four-digit amounts far apart (1,037 … 2,536 units) are quantities, grouped."""
    ends = (col.min, col.max)
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer() for v in ends):
        return False
    return col.role in ("numeric", "identifier") and 1000 <= col.min and col.max <= 9999 and col.max - col.min <= 300


def _as_written(profile: DatasetProfile) -> frozenset[str]:
    """The names of the dataset's :func:`_four_digits` columns."""
    return frozenset(c.name for c in profile.columns if _four_digits(c))


def _table_cells(headers: Sequence[str], rows: Iterable[Sequence[Any]],
                 as_written: Collection[str] = ()) -> Iterable[list[str]]:
    """A table's cells as shown (not escaped): each number with thousands separators from 1,000, so a column
    reads alike (4,598 beside 12,345, never 4598), except in a column named in ``as_written`` or in a summary's
    row about one (its min and max stay 1990 and 2019)."""
    plain_column = [h in as_written for h in headers]
    about = headers.index("column") if "column" in headers else None
    for row in rows:
        plain_row = about is not None and about < len(row) and isinstance(row[about], str) and row[about] in as_written
        yield [_fmt(c, group_from=10_000 if plain_row or plain_column[i] else 1000) for i, c in enumerate(row)]


def _jsonable(obj: Any) -> Any:
    """Convert to plain JSON types; NaN/inf become null so the output is strictly valid JSON."""
    if obj is None or isinstance(obj, (str, bool, int)):
        return obj
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, BaseModel):
        return _jsonable(obj.model_dump())
    if isinstance(obj, Mapping):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (_dt.datetime, _dt.date, _dt.time)):
        return obj.isoformat()
    if isinstance(obj, Path):
        return obj.as_posix()
    if hasattr(obj, "item"):  # numpy scalar
        try:
            return _jsonable(obj.item())
        except (TypeError, ValueError):
            pass
    if hasattr(obj, "tolist"):  # numpy array
        try:
            return _jsonable(obj.tolist())
        except (TypeError, ValueError):
            pass
    if hasattr(obj, "isoformat"):  # pandas Timestamp
        return obj.isoformat()
    return str(obj)


def _dumps(obj: Any, *, indent: int | None = 2) -> str:
    return json.dumps(_jsonable(obj), indent=indent, ensure_ascii=False, allow_nan=False)


def _abs_path(path: str | None, out_dir: Path) -> Path | None:
    if not path:
        return None
    p = Path(path)
    return p if p.is_absolute() else out_dir / p


def _rel_path(path: str | None, out_dir: Path) -> str | None:
    """A path as stored in the manifest / linked from the Markdown: relative to out_dir, POSIX slashes."""
    p = _abs_path(path, out_dir)
    if p is None:
        return None
    try:
        return Path(os.path.relpath(p, out_dir)).as_posix()
    except ValueError:  # another drive on Windows
        return p.as_posix()


def _load_spec(result: StepResult, out_dir: Path) -> dict[str, Any] | None:
    if result.spec is not None:
        return result.spec
    p = _abs_path(result.spec_path, out_dir)
    if p is None or not p.is_file():
        return None
    try:
        spec = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("cannot read Vega-Lite spec %s: %s", p, exc)
        return None
    return spec if isinstance(spec, dict) else None


def _table_rows(result: StepResult, out_dir: Path, limit: int = TABLE_PREVIEW_ROWS) -> list[dict[str, Any]]:
    """The preview rows of a table result: ``result.table`` or, if empty, the head of its CSV."""
    if result.table:
        return [dict(r) for r in result.table[:limit]]
    p = _abs_path(result.table_csv, out_dir)
    if p is None or not p.is_file():
        return []
    rows: list[dict[str, Any]] = []
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                if i >= limit:
                    break
                rows.append(dict(row))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        logger.warning("cannot read table preview %s: %s", p, exc)
    return rows


def _columns_of(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    cols: list[str] = []
    for row in rows:
        for k in row:
            if k not in cols:
                cols.append(k)
    return cols


def _profile_extent(col: ColumnProfile) -> str:
    """min/max for ordered columns, else the top value (not escaped)."""
    if col.role in ("numeric", "temporal") or (col.min is not None and not col.top_values):
        if col.min is None and col.max is None:
            return ""
        group_from = 10_000 if _four_digits(col) else 1000
        return f"{_fmt(col.min, group_from=group_from)} … {_fmt(col.max, group_from=group_from)}"
    if col.top_values:
        top = col.top_values[0]
        return f"{top.value} ({top.count:,})"
    return ""


def _all_dropped(validated: ValidatedPlan, execution: ExecutionResult) -> list[ManifestDrop]:
    return [ManifestDrop(step=d.step, reason=d.reason, tool=d.tool, stage=stage)
            for stage, dropped in (("validate", validated.dropped), ("execute", execution.failed)) for d in dropped]


def _version() -> str:
    try:
        import autoviz_pipeline as pkg

        return str(getattr(pkg, "__version__", None) or "0.1.0")
    except ImportError:  # pragma: no cover
        return "0.1.0"


def _sentences(text: str | None) -> list[str]:
    return [t.strip() for t in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])", text or "") if t.strip()]


def _unsaid(finding: str | None, said: set[str]) -> str:
    """The sentences of a finding not said yet in the report (each noted as said): no sentence twice."""
    fresh = [t for t in _sentences(finding) if t not in said]
    said.update(fresh)
    return " ".join(fresh)


def _summary_answer(results: Sequence[StepResult]) -> str | None:
    for r in results:
        if r.kind == "chart" and r.finding:
            return r.finding
    for r in results:
        if r.finding:
            return r.finding
    return None


# --------------------------------------------------------------------------------------------------
# manifest
# --------------------------------------------------------------------------------------------------
def build_manifest(
    *,
    question: str,
    profile: DatasetProfile,
    intent: IntentResult,
    adapted: AdaptedPlan,
    validated: ValidatedPlan,
    execution: ExecutionResult,
    llm_calls: Sequence[LLMCall],
    timings: Mapping[str, float],
    out_dir: Path,
) -> Manifest:
    charts: list[ManifestChart] = []
    tables: list[ManifestTable] = []
    texts: list[ManifestText] = []
    for r in execution.results:
        common = {"id": r.step, "title": r.title, "tool": r.tool}
        if r.kind == "chart":
            charts.append(ManifestChart(
                **common, spec=_load_spec(r, out_dir), png=_rel_path(r.png, out_dir), svg=_rel_path(r.svg, out_dir),
                spec_path=_rel_path(r.spec_path, out_dir), finding=r.finding, notes=list(r.notes)))
        elif r.kind == "table":
            tables.append(ManifestTable(**common, csv=_rel_path(r.table_csv, out_dir), rows=_table_rows(r, out_dir),
                                        finding=r.finding, notes=list(r.notes)))
        else:
            texts.append(ManifestText(**common, finding=r.finding, notes=list(r.notes)))

    return Manifest(
        question=question,
        dataset=ManifestDataset(path=profile.path, name=profile.name, sha256=profile.sha256,
                                size_bytes=profile.size_bytes, rows=profile.rows, columns=profile.column_names,
                                read_options=profile.read_options),
        profile=profile,
        intent=ManifestIntent(label=intent.intent, confidence=intent.confidence, source=intent.source,
                              question=intent.question, matches=intent.matches, filters=intent.filters,
                              aggregate=intent.aggregate, chart_words=intent.chart_words, chart=intent.chart,
                              alternatives=intent.alternatives, notes=intent.notes),
        understanding=ManifestUnderstanding(
            matches=intent.matches, alternatives=intent.alternatives, filters=intent.filters, chart=intent.chart,
            unmatched=list(dict.fromkeys([*intent.unmatched, *intent.ungrouped]))),
        plan=ManifestPlan(template=adapted.before.template, intent=adapted.before.intent,
                          before=adapted.before.steps, after=adapted.steps, changes=adapted.changes,
                          validated=validated.steps),
        charts=charts,
        tables=tables,
        texts=texts,
        first_chart_png=next((c.png for c in charts if c.png), None),
        repairs=validated.repairs,
        dropped=_all_dropped(validated, execution),
        llm_calls=llm_calls,
        timings={str(k): float(v) for k, v in timings.items()},
        files=ManifestFiles(markdown=REPORT_MD, html=REPORT_HTML, manifest=MANIFEST_JSON),
        created_at=_dt.datetime.now(_dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        autoviz_version=_version(),
    )


# --------------------------------------------------------------------------------------------------
# markdown
# --------------------------------------------------------------------------------------------------
def _md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], as_written: Collection[str] = ()) -> list[str]:
    """A GFM table; headers and cells are data-derived, so all are escaped."""
    lines = [
        "| " + " | ".join(markdown_escape(h) or " " for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
    ]
    for cells in _table_cells(headers, rows, as_written):
        lines.append("| " + " | ".join(markdown_escape(c) for c in cells) + " |")
    return lines


def _md_url(rel: str) -> str:
    return quote(rel, safe="/")


def _summary_text(
    profile: DatasetProfile, intent: IntentResult, results: Sequence[StepResult], escape: Any
) -> list[str]:
    """Summary as a list of already-escaped sentences (escape is markdown_escape or html_escape)."""
    answer = _summary_answer(results)
    parts = []
    if answer:
        answer = answer.strip()
        parts.append(escape(answer if answer.endswith((".", "!", "?", "…")) else answer + "."))
    else:
        parts.append("No chart could be produced for this question.")
    parts.append(
        f"Dataset {escape(profile.name)}: {profile.rows:,} rows × {len(profile.columns)} columns."
        f" Intent: {escape(intent.intent)} (confidence {intent.confidence:.2f}, {escape(intent.source)})."
    )
    n_charts = sum(1 for r in results if r.kind == "chart")
    n_tables = sum(1 for r in results if r.kind == "table")
    parts.append(f"{n_charts} chart(s), {n_tables} table(s).")
    return parts


def _decision_tables(intent: IntentResult, adapted: AdaptedPlan, validated: ValidatedPlan,
                     execution: ExecutionResult, llm_calls: Sequence[LLMCall],
                     timings: Mapping[str, float]) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The "How this was decided" tables, (heading, headers, rows), the same for report.md and report.html."""
    tables = [
        ("Matched columns", ["phrase", "column", "method", "score", "value"],
         [[m.phrase, m.column, m.method, f"{m.score:.2f}", m.value] for m in intent.matches]),
        ("Ambiguous matches (not guessed)", ["phrase", "column", "alternatives"],
         [[m.phrase, m.column, ", ".join(m.alternatives)] for m in intent.alternatives]),
        ("Plan changes", ["op", "step", "detail"], [[c.op, c.step, c.detail] for c in adapted.changes]),
        ("Repairs", ["step", "param", "original → repaired", "score", "method"],
         [[r.step, r.param, f"{_fmt(r.original)} → {_fmt(r.repaired)}", f"{r.score:.2f}", r.method]
          for r in validated.repairs]),
        ("Dropped steps", ["step", "tool", "stage", "reason"],
         [[d.step, d.tool, d.stage, d.reason] for d in _all_dropped(validated, execution)]),
        ("LLM calls", ["stage", "backend", "model", "latency ms", "tokens in/out", "outcome", "fallback"],
         [[c.stage, c.backend, c.model, f"{c.latency_ms:.0f}",
           f"{_fmt(c.prompt_tokens) or '?'}/{_fmt(c.completion_tokens) or '?'}", c.outcome,
           "yes" if c.fallback_used else "no"] for c in llm_calls]),
        ("Timings", ["stage", "seconds"], [[k, f"{v:.3f}"] for k, v in timings.items()]),
    ]
    return [t for t in tables if t[2]]


def render_markdown(
    *,
    question: str,
    profile: DatasetProfile,
    intent: IntentResult,
    adapted: AdaptedPlan,
    validated: ValidatedPlan,
    execution: ExecutionResult,
    llm_calls: Sequence[LLMCall],
    timings: Mapping[str, float],
    out_dir: Path,
) -> str:
    e = markdown_escape
    lines: list[str] = [f"# {e(question) or 'Report'}", ""]
    summary = _summary_text(profile, intent, execution.results, e)
    lines += [f"**Answer:** {summary[0]} " + " ".join(summary[1:]), ""]

    said = set(_sentences(_summary_answer(execution.results)))
    for r in execution.results:
        lines += [f"## {e(r.title) or e(r.step)}", ""]
        if finding := _unsaid(r.finding, said):
            lines += [e(finding), ""]
        rel_png = _rel_path(r.png, out_dir)
        if r.kind == "chart" and rel_png:
            lines += [f"![{e(r.title)}]({_md_url(rel_png)})", ""]
        if r.kind == "table":
            rows = _table_rows(r, out_dir)
            if rows:
                cols = _columns_of(rows)
                lines += _md_table(cols, ([row.get(c) for c in cols] for row in rows), _as_written(profile))
                lines.append("")
            rel_csv = _rel_path(r.table_csv, out_dir)
            if rel_csv:
                lines += [f"Full table: [{e(rel_csv)}]({_md_url(rel_csv)})", ""]
        for note in r.notes:
            lines.append(f"> {e(note)}")
        if r.notes:
            lines.append("")

    # ---- how this was decided
    lines += ["## How this was decided", ""]
    lines.append(
        f"- Intent: **{e(intent.intent)}** (confidence {intent.confidence:.2f}, source {e(intent.source)})"
    )
    lines.append(f"- Plan template: {e(adapted.before.template)}")
    if intent.aggregate:
        lines.append(f"- Aggregate: {e(intent.aggregate)}")
    for f in intent.filters:
        val = f.values if f.values else f.value
        lines.append(f"- Filter: {e(f.column)} {e(f.op)} {e(_fmt(val))}")
    for note in intent.notes:
        lines.append(f"- Note: {e(note)}")
    lines.append("")
    for heading, headers, rows in _decision_tables(intent, adapted, validated, execution, llm_calls, timings):
        lines += [f"### {heading}", "", *_md_table(headers, rows), ""]
    if not llm_calls:
        lines += ["No LLM was called.", ""]

    # ---- data profile
    lines += ["## Data profile", ""]
    lines.append(
        f"{e(profile.name)}: {profile.rows:,} rows × {len(profile.columns)} columns"
        f" (encoding {e(profile.read_options.encoding)}, delimiter {e(repr(profile.read_options.delimiter))})."
    )
    lines.append("")
    lines += _md_table(
        ["column", "role", "dtype", "nulls", "distinct", "min/max or top value"],
        ([c.name, c.role, c.dtype, c.nulls, c.distinct, _profile_extent(c)] for c in profile.columns),
    )
    lines.append("")
    for note in profile.notes:
        lines.append(f"- {e(note)}")
    if profile.notes:
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------------------------------
# html
# --------------------------------------------------------------------------------------------------
_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem;
color:#1f2328;line-height:1.5}
h1{font-size:1.6rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #eaeef2;padding-bottom:.2rem}
h3{font-size:1.05rem;margin-top:1.4rem}
.summary{background:#f6f8fa;border-left:4px solid #0969da;padding:.8rem 1rem}
.finding{font-weight:500}
figure{margin:1rem 0}
figure img{max-width:100%;height:auto;border:1px solid #eaeef2}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top;white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
th{background:#f6f8fa}
details{margin:.4rem 0}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:28rem;font-size:.8rem}
.note{color:#57606a;font-size:.9rem}
.missing{color:#cf222e}
.chart .vl-view{display:block;width:100%;overflow-x:auto}
"""

# Draws each chart from its spec (a <script type="application/json" class="vl-spec"> beside the chart's PNG) and,
# once it is drawn, removes the PNG, which stays as the chart without JavaScript or when drawing fails. Vega runs
# its expressions through vega-interpreter (ast: true), so the page's CSP needs no 'unsafe-eval'.
_EMBED_JS = """(function () {
  "use strict";
  // a tooltip is a table of the hovered mark's fields, every key and value escaped by vega-tooltip's own
  // function; the tools' internal fields (a stack's order, "__stack") are left out, and no key is special
  // (vega-tooltip's default would make a field named "image" an <img> and one named "title" a heading)
  function table(value, escape) {
    if (value === null || typeof value !== "object") return escape(value);
    return "<table>" + Object.keys(value).filter(function (key) {
      return key.slice(0, 2) !== "__" && value[key] !== undefined;
    }).map(function (key) {
      var shown = value[key] !== null && typeof value[key] === "object" ? JSON.stringify(value[key]) : value[key];
      return '<tr><td class="key">' + escape(key) + '</td><td class="value">' + escape(shown) + "</td></tr>";
    }).join("") + "</table>";
  }
  var options = {renderer: "svg", actions: false, tooltip: {formatTooltip: table}, ast: true,
                 expr: vega.expressionInterpreter};
  document.querySelectorAll("figure.chart > script.vl-spec").forEach(function (data) {
    var figure = data.parentNode, view = document.createElement("div");
    view.className = "vl-view";
    figure.insertBefore(view, data);
    new Promise(function (resolve) { resolve(vegaEmbed(view, JSON.parse(data.textContent), options)); })
      .then(function () {
        var image = figure.querySelector("img");
        if (image) image.remove();
      })
      .catch(function (error) {
        view.remove();
        console.error("A chart could not be drawn from its spec; its image stays: " + error);
      });
  });
})();"""


@cache
def _csp() -> str:
    """The page's Content-Security-Policy: nothing loads from anywhere (no network at all); the only scripts that
    run are the vendored Vega scripts and :data:`_EMBED_JS`, allowed by their hashes; inline styles (the page's
    own, vega-embed's and its tooltips') are allowed. Defence in depth behind the escaping."""
    scripts = " ".join(csp_hash(t) for t in (*(vendor_script(n) for n in VENDORED_SCRIPTS), _EMBED_JS))
    return (f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src {scripts}; "
            "base-uri 'none'; form-action 'none'")


def _runtime_html() -> str:
    """The scripts that draw the charts: Vega, Vega-Lite, vega-interpreter, vega-embed, then :data:`_EMBED_JS`."""
    return "".join(f"<script>{t}</script>" for t in (*(vendor_script(n) for n in VENDORED_SCRIPTS), _EMBED_JS))


def _script_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` element. ``<``, ``>`` and ``&`` (only ever inside JSON
    strings) become ``\\u003c``, ``\\u003e`` and ``\\u0026``, so no text from the data can end the element
    (``</script>``) or open a comment (``<!--``); ``JSON.parse`` reads the same values back."""
    text = _dumps(value, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


_ZOOMABLE_MARKS = frozenset({"point", "circle", "square", "line", "trail", "area"})
_CONTINUOUS = frozenset({"quantitative", "temporal"})
# line and area marks are one shape per series: hovering one would show the series' first point, so each point
# gets an invisible, filled (hence hoverable) symbol of its own that carries the point's tooltip
_HOVER_POINTS = {"filled": True, "opacity": 0, "size": 80}


def _units(spec: dict[str, Any], encoding: Mapping[str, Any]) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    """Every single-view spec in ``spec`` (itself, or its layers, depth first), with the encoding it inherits."""
    merged = {**encoding, **(spec.get("encoding") or {})}
    if isinstance(spec.get("layer"), list):
        for layer in spec["layer"]:
            if isinstance(layer, dict):
                yield from _units(layer, merged)
    elif "mark" in spec:
        yield spec, merged


def _mark_type(unit: Mapping[str, Any]) -> str | None:
    mark = unit.get("mark")
    return mark if isinstance(mark, str) else mark.get("type") if isinstance(mark, dict) else None


def _continuous(channel: Any) -> bool:
    return isinstance(channel, dict) and channel.get("type") in _CONTINUOUS and not channel.get("bin")


def _size(spec: dict[str, Any], units: Sequence[tuple[dict[str, Any], dict[str, Any]]]) -> None:
    """The page's size for a chart that sets none: as wide as the page (the PNG it replaces is), unless its rows
    are categories (a heatmap, horizontal bars: Vega-Lite cannot fit a view of stepped height to the page without
    a warning), where a grid's cells get 40 px; a pie keeps Vega-Lite's size."""
    if any(_mark_type(u) == "arc" for u, _ in units):
        return
    x_banded, y_banded = (_banded(units[0][1].get(c)) for c in ("x", "y"))
    if x_banded and y_banded:
        spec.update(width={"step": 40}, height={"step": 40})
    elif not y_banded:
        spec.update(width="container", autosize={"type": "fit-x", "contains": "padding"})


def _banded(channel: Any) -> bool:
    return isinstance(channel, dict) and channel.get("type") in ("nominal", "ordinal")


def interactive_spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec as report.html draws it: a tooltip on every mark, numbers with thousands separators, and zoom and
    pan (the x and y scales bound to wheel and drag) on charts of points or lines over two continuous axes. The
    spec files stay as the tools wrote them; only the page's copy changes."""
    page_spec: dict[str, Any] = json.loads(_dumps(spec, indent=None))  # a deep copy in plain JSON types
    config = page_spec.get("config") if isinstance(page_spec.get("config"), dict) else {}
    # numbers in tooltips (and the guides) with thousands separators, as the tables and findings write them:
    # 1,070,743.13, not 1070743.13 (d3's "," keeps 12 significant digits, so no binary noise either)
    page_spec["config"] = {"numberFormat": ",", **config, "mark": {**(config.get("mark") or {}), "tooltip": True}}
    units = list(_units(page_spec, {}))
    if units and not {"width", "height", "autosize"} & page_spec.keys():
        _size(page_spec, units)
    zoomed = False
    for unit, encoding in units:
        mark = _mark_type(unit)
        if mark in ("line", "area") and not (isinstance(unit["mark"], dict) and "point" in unit["mark"]):
            unit["mark"] = {**(unit["mark"] if isinstance(unit["mark"], dict) else {"type": mark}),
                            "point": dict(_HOVER_POINTS)}
        if zoomed or mark not in _ZOOMABLE_MARKS or not all(_continuous(encoding.get(c)) for c in ("x", "y")):
            continue
        # an aggregated axis (a line of monthly sums) cannot be bound: that chart zooms and pans along the other
        if axes := [c for c in ("x", "y") if not encoding[c].get("aggregate")]:
            zoom = {"name": "autoviz_zoom", "select": {"type": "interval", "encodings": axes}, "bind": "scales"}
            unit["params"] = [*unit.get("params", []), zoom]
            zoomed = True
    return page_spec


def _html_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], as_written: Collection[str] = ()) -> str:
    head = "".join(f"<th>{html_escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html_escape(c)}</td>" for c in cells) + "</tr>"
                   for cells in _table_cells(headers, rows, as_written))
    return f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _png_data_uri(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    data = path.read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        logger.warning("not a PNG, not embedded: %s", path)
        return None
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def render_html(
    *,
    question: str,
    profile: DatasetProfile,
    intent: IntentResult,
    adapted: AdaptedPlan,
    validated: ValidatedPlan,
    execution: ExecutionResult,
    llm_calls: Sequence[LLMCall],
    timings: Mapping[str, float],
    out_dir: Path,
) -> str:
    h = html_escape
    parts: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{h(_csp())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{h(question) or 'Report'}</title>",
        f"<style>{_CSS}</style>",
        "</head><body>",
        f"<h1>{h(question) or 'Report'}</h1>",
    ]
    summary = _summary_text(profile, intent, execution.results, h)
    parts.append(f'<p class="summary"><strong>Answer:</strong> {summary[0]} ' + " ".join(summary[1:]) + "</p>")

    said = set(_sentences(_summary_answer(execution.results)))
    runtime = _Fits(_runtime_html(), "", rank=2)  # at the end of the page, if a chart is drawn from its spec
    for r in execution.results:
        parts.append(f'<section id="step-{h(r.step)}">')
        parts.append(f"<h2>{h(r.title) or h(r.step)}</h2>")
        if finding := _unsaid(r.finding, said):  # the answer, said once (above), not under every step
            parts.append(f'<p class="finding">{h(finding)}</p>')
        if r.kind == "chart":
            parts.append('<figure class="chart">')
            uri = _png_data_uri(_abs_path(r.png, out_dir))
            if uri:
                parts.append(_Fits(f'<img src="{uri}" alt="{h(r.title)}">',
                                   _left_out("Chart image", _rel_path(r.png, out_dir)), rank=0))
            elif r.png:
                parts.append(f'<p class="missing">Chart image missing: {h(_rel_path(r.png, out_dir))}</p>')
            spec = _load_spec(r, out_dir)
            if spec is not None:  # drawn by the runtime's scripts, while the page has room for them too
                parts.append(_Fits(f'<script type="application/json" class="vl-spec">'
                                   f"{_script_json(interactive_spec(spec))}</script>", "", rank=2, needs=runtime))
            parts.append("</figure>")
            if spec is not None:
                parts.append(_Fits(
                    "<details><summary>Vega-Lite spec</summary>"
                    f"<pre><code>{html_escape(_dumps(spec), limit=None)}</code></pre></details>",
                    _left_out("Vega-Lite spec", _rel_path(r.spec_path, out_dir)), rank=3))
        if r.kind == "table":
            rows = _table_rows(r, out_dir)
            if rows:
                cols = _columns_of(rows)
                table = _html_table(cols, ([row.get(c) for c in cols] for row in rows), _as_written(profile))
                parts.append(_Fits(table, _left_out("Table preview", None), rank=1))
            rel_csv = _rel_path(r.table_csv, out_dir)
            if rel_csv:
                parts.append(f'<p class="note">Full table: <a href="{h(_md_url(rel_csv))}">{h(rel_csv)}</a></p>')
        for note in r.notes:
            parts.append(f'<p class="note">{h(note)}</p>')
        parts.append("</section>")

    # ---- how this was decided
    parts.append("<h2>How this was decided</h2><ul>")
    parts.append(
        f"<li>Intent: <strong>{h(intent.intent)}</strong> (confidence {intent.confidence:.2f}, "
        f"source {h(intent.source)})</li>"
    )
    parts.append(f"<li>Plan template: {h(adapted.before.template)}</li>")
    if intent.aggregate:
        parts.append(f"<li>Aggregate: {h(intent.aggregate)}</li>")
    for f in intent.filters:
        val = f.values if f.values else f.value
        parts.append(f"<li>Filter: {h(f.column)} {h(f.op)} {h(_fmt(val))}</li>")
    for note in intent.notes:
        parts.append(f"<li>Note: {h(note)}</li>")
    parts.append("</ul>")
    for heading, headers, rows in _decision_tables(intent, adapted, validated, execution, llm_calls, timings):
        parts += [f"<h3>{h(heading)}</h3>", _html_table(headers, rows)]
    if not llm_calls:
        parts.append("<p>No LLM was called.</p>")

    # ---- data profile
    parts.append("<h2>Data profile</h2>")
    parts.append(
        f"<p>{h(profile.name)}: {profile.rows:,} rows × {len(profile.columns)} columns"
        f" (encoding {h(profile.read_options.encoding)}, delimiter {h(repr(profile.read_options.delimiter))}).</p>"
    )
    parts.append(_Fits(
        _html_table(
            ["column", "role", "dtype", "nulls", "distinct", "min/max or top value"],
            ([c.name, c.role, c.dtype, c.nulls, c.distinct, _profile_extent(c)] for c in profile.columns),
        ),
        _left_out("Column table", MANIFEST_JSON), rank=1))
    if profile.notes:
        parts.append("<ul>" + "".join(f"<li>{h(n)}</li>" for n in profile.notes) + "</ul>")
    if any(isinstance(p, _Fits) and p.needs is runtime for p in parts):
        parts.append(runtime)
    parts.append("</body></html>")
    return _fit(parts, CAPS.report_html_bytes)


@dataclass(frozen=True, eq=False)
class _Fits:
    """A part of the page shown in full only while the page keeps ``CAPS.report_html_bytes``, else ``fallback``.
    Lower ranks are fitted first: the chart images, then the table previews, then the charts drawn from their
    specs, then the spec listings. A part that ``needs`` another is shown only with it (the charts' specs need
    the scripts that draw them); a part that others need is shown only with one of them."""

    full: str
    fallback: str
    rank: int
    needs: _Fits | None = None


def _left_out(what: str, rel: str | None) -> str:
    where = f': <a href="{html_escape(_md_url(rel))}">{html_escape(rel)}</a>' if rel else ""
    return (f'<p class="note">{what} not embedded: report.html is kept within '
            f'{CAPS.report_html_bytes / MB:g} MB{where}.</p>')


def _fit(parts: Sequence[str | _Fits], cap: int) -> str:
    """The page: every :class:`_Fits` part in full that fits within ``cap`` bytes, by rank, then in page order."""
    def size(text: str) -> int:
        return len(text.encode("utf-8")) + 1  # and its line break

    def grows(part: _Fits) -> int:
        return size(part.full) - size(part.fallback)

    total = sum(size(p.fallback if isinstance(p, _Fits) else p) for p in parts)
    full: set[int] = set()  # ids of the parts shown in full
    needed = {id(p.needs) for p in parts if isinstance(p, _Fits) and p.needs is not None}
    order = {id(p): i for i, p in enumerate(parts)}
    optional = sorted((p for p in parts if isinstance(p, _Fits) and id(p) not in needed),
                      key=lambda p: (p.rank, order[id(p)]))
    for part in optional:
        group = [part] + ([part.needs] if part.needs is not None and id(part.needs) not in full else [])
        if total + sum(grows(p) for p in group) <= cap:
            full.update(id(p) for p in group)
            total += sum(grows(p) for p in group)
    shown = [p if isinstance(p, str) else (p.full if id(p) in full else p.fallback) for p in parts]
    return "\n".join(shown) + "\n"


# --------------------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------------------
def render_report(
    *,
    question: str,
    profile: DatasetProfile,
    intent: IntentResult,
    adapted: AdaptedPlan,
    validated: ValidatedPlan,
    execution: ExecutionResult,
    llm_calls: list[LLMCall],
    timings: dict[str, float],
    out_dir: str | Path,
) -> Report:
    """Write ``report.md``, ``report.html`` and ``manifest.json`` into ``out_dir`` (manifest last).

    Chart and table paths in the step results may be absolute or relative to ``out_dir``; the Markdown
    and the manifest refer to them relative to ``out_dir``, the HTML embeds the PNGs and the specs.
    """
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    kwargs: dict[str, Any] = {
        "question": question,
        "profile": profile,
        "intent": intent,
        "adapted": adapted,
        "validated": validated,
        "execution": execution,
        "llm_calls": list(llm_calls),
        "timings": dict(timings),
        "out_dir": out,
    }
    markdown = render_markdown(**kwargs)
    page = render_html(**kwargs)
    manifest = build_manifest(**kwargs)
    manifest_text = _dumps(manifest.model_dump()) + "\n"  # serialise before writing anything: a bad value fails early

    md_path, html_path, manifest_path = out / REPORT_MD, out / REPORT_HTML, out / MANIFEST_JSON
    atomic_write_text(md_path, markdown)
    atomic_write_text(html_path, page)
    atomic_write_text(manifest_path, manifest_text)

    first_png = next(
        (str(_abs_path(r.png, out)) for r in execution.results if r.kind == "chart" and r.png), None
    )
    logger.info(
        "report written to %s: %d chart(s), %d table(s), %d dropped",
        out,
        len(manifest.charts),
        len(manifest.tables),
        len(manifest.dropped),
    )
    return Report(
        out_dir=str(out),
        markdown=str(md_path),
        html=str(html_path),
        manifest=str(manifest_path),
        first_chart_png=first_png,
    )


__all__ = ["build_manifest", "html_escape", "interactive_spec", "markdown_escape", "render_html", "render_markdown",
           "render_report"]

