"""Per-dataset JSON schemas: real column names only (and only where the role fits), the registered tools,
keywords vLLM's xgrammar backend accepts — checked with jsonschema and compiled with xgrammar itself."""

from __future__ import annotations

import csv
import io
import json

import pytest

from autoviz_pipeline.contracts import INTENTS
from autoviz_pipeline.llm import ModelSettings, OpenAICompatibleBackend
from autoviz_pipeline.llm.proposer import intent_request, patch_request
from autoviz_pipeline.llm.schemas import ALLOWED_KEYWORDS, intent_schema, max_json_bytes, schema_keywords
from autoviz_pipeline.tools import TOOLS
from autoviz_pipeline.tools.registry import column_params
from tests.llm.conftest import offline_context, require


def _schemas(profile, question, cap=24):
    """The schemas the proposer sends (through its own request builders) for a roomy context."""
    intent, adapted = offline_context(profile, question)
    backend = OpenAICompatibleBackend(ModelSettings(backend="openai", model_name="m", max_columns=cap,
                                                    context_tokens=16_384))
    ask_intent = intent_request(intent, profile, backend)
    ask_patch = patch_request(intent, profile, adapted.steps, backend)
    assert ask_intent.columns == ask_patch.columns  # same relevant columns in both stages
    return ask_intent.schema, ask_patch.schema, adapted, ask_intent.columns


def _branches(schema):
    return schema["properties"]["ops"]["items"]["anyOf"]


def _add_branch(schema, tool):
    return next((b for b in _branches(schema) if b["properties"].get("tool", {}).get("const") == tool), None)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _walk(schema):
    yield schema
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _walk(schema[key])
    for sub in schema.get("properties", {}).values():
        yield from _walk(sub)
    for sub in schema.get("anyOf", []):
        yield from _walk(sub)


def _answers(profile, patch, adapted):
    """A valid patch answer built from the profile (a categorical x for a bar chart, a modify of the first
    template step), and the same answer with a column the CSV does not have."""
    group = next(c.name for c in profile.columns if c.role in ("categorical", "boolean"))
    step = next(s for s in adapted.steps if s.origin != "question")
    valid = {"ops": [{"op": "add", "tool": "bar_chart", "params": {"x": group, "aggregate": "count"}, "title": "Rows"},
                     {"op": "modify", "step": step.id, "params": {}}],
             "rationale": "count rows per group"}
    invented = json.loads(json.dumps(valid))
    invented["ops"][0]["params"]["x"] = "revenue_total_zz"
    return valid, invented


# --------------------------------------------------------------------------------------------------
def test_december_enums_are_exactly_the_fitting_columns(example_profiles):
    profile = example_profiles["december_revenue.csv"]  # date (temporal), revenue (numeric), region, product_category
    intent, patch, _, names = _schemas(profile, "revenue totals by region and product type")
    assert sorted(names) == ["date", "product_category", "region", "revenue"]
    assert intent["properties"]["columns"]["items"]["enum"] == ["date", "revenue", "region", "product_category"]
    assert intent["properties"]["intent"]["enum"] == list(INTENTS)
    bar = _add_branch(patch, "bar_chart")["properties"]["params"]
    assert bar["properties"]["y"]["enum"] == ["revenue"]  # numeric param: the one numeric column
    assert bar["required"] == ["x"]
    assert "filters" not in bar["properties"]  # filters come from the question, not the model
    assert _add_branch(patch, "histogram")["properties"]["params"]["properties"]["column"]["enum"] == ["revenue"]
    drop = next(b for b in _branches(patch) if b["properties"]["op"].get("const") == "drop")
    assert "answer" not in drop["properties"]["step"]["enum"]  # the answer step cannot be dropped


def test_tools_without_a_fitting_column_are_not_offered(write_csv):
    from autoviz_pipeline.profiling import profile_dataset

    path = write_csv("cats.csv", "city,team\n" + "\n".join(f"c{i % 3},t{i % 2}" for i in range(30)) + "\n")
    profile = profile_dataset(path)
    _, patch, _, _ = _schemas(profile, "count by city")
    offered = {b["properties"]["tool"]["const"] for b in _branches(patch) if "tool" in b["properties"]}
    assert {"histogram", "box_plot", "anomaly_detection"}.isdisjoint(offered)  # each needs a numeric column
    assert {"bar_chart", "pie_chart", "aggregate_table"} <= offered


def test_every_schema_uses_only_xgrammar_safe_keywords_and_closed_objects(all_profiles):
    for name, profile, question in all_profiles:
        intent, patch, _, _ = _schemas(profile, question)
        for schema in (intent, patch):
            assert schema_keywords(schema) <= ALLOWED_KEYWORDS, name
            for node in _walk(schema):
                if node.get("type") == "object":
                    assert node["additionalProperties"] is False, (name, node)
                if node.get("type") in ("integer", "number"):
                    assert "minimum" in node and "maximum" in node, (name, node)
                if node.get("type") == "string":
                    assert "enum" in node or "const" in node or "maxLength" in node, (name, node)
                if node.get("type") == "array":
                    assert "maxItems" in node, (name, node)


def test_column_enums_only_hold_real_columns_whose_role_fits(all_profiles):
    for name, profile, question in all_profiles:
        _, patch, _, _ = _schemas(profile, question)
        for branch in _branches(patch):
            tool = branch["properties"].get("tool", {}).get("const")
            if tool is None:
                continue
            params = branch["properties"]["params"]["properties"]
            for param, (kind, is_list) in column_params(TOOLS[tool].params).items():
                if param not in params:
                    continue
                enum = params[param]["items"]["enum"] if is_list else params[param]["enum"]
                for column in enum:
                    col = profile.column(column)
                    assert col is not None and kind.fits(col), (name, tool, param, column)


def test_wide_table_schema_holds_the_question_columns_within_the_cap(wide_profile):
    intent, patch, _, names = _schemas(wide_profile, "average sensor_0420 by site", cap=24)
    assert len(names) == 24 and {"sensor_0420", "site"} <= set(names)
    assert len(intent["properties"]["columns"]["items"]["enum"]) == 24
    assert len(json.dumps(patch)) < 60_000  # not 1,000 names per param


def test_jsonschema_accepts_a_valid_answer_and_rejects_inventions(all_profiles):
    jsonschema = require("jsonschema", "validates the generated schemas")
    for name, profile, question in all_profiles:
        intent, patch, adapted, names = _schemas(profile, question)
        valid, invented = _answers(profile, patch, adapted)
        jsonschema.validate(valid, patch)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(invented, patch)
        extra_param = json.loads(json.dumps(valid))
        extra_param["ops"][0]["params"]["groups"] = names[0]  # the seed's invented "groups"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(extra_param, patch)
        jsonschema.validate({"intent": "ranking", "confidence": 0.5, "columns": [names[0]]}, intent)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"intent": "ranking", "confidence": 0.5, "columns": ["product_type_zz"]}, intent)


def test_max_json_bytes_bounds_compact_answers():
    schema = intent_schema(["ab"])
    # {"intent":<longest intent>,"confidence":<0 + 7>,"columns":[<4 x "ab">]}
    longest = max(len(i) for i in INTENTS) + 2
    expected = 2 + (len('"intent"') + 1 + longest) + (len('"confidence"') + 1 + 8) + (len('"columns"') + 1 + 2 + 4 * 4 + 3) + 2
    assert max_json_bytes(schema) == expected
    answer = _compact({"intent": "comparative_analysis", "confidence": 0.123456, "columns": ["ab"] * 4})
    assert len(answer.encode()) <= max_json_bytes(schema)


# --------------------------------------------------------------------------------------------------
# xgrammar, the grammar engine vLLM uses: CPU, an empty tokenizer, no model
# --------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def xgr_accepts():
    xgr = require("xgrammar", "compiles the schemas as vLLM's xgrammar backend does")
    compiler = xgr.GrammarCompiler(xgr.TokenizerInfo([]), cache_enabled=False)
    compiled: dict[str, object] = {}

    def accepts(schema: dict, text: str) -> bool:
        key = json.dumps(schema, sort_keys=True)
        if key not in compiled:
            compiled[key] = compiler.compile_json_schema(json.dumps(schema, ensure_ascii=False))
        matcher = xgr.GrammarMatcher(compiled[key], terminate_without_stop_token=True)
        return matcher.accept_string(text) and matcher.is_terminated()

    return accepts


def test_xgrammar_compiles_every_schema_and_enforces_the_columns(all_profiles, xgr_accepts):
    for name, profile, question in all_profiles:
        intent, patch, adapted, names = _schemas(profile, question)
        valid, invented = _answers(profile, patch, adapted)
        assert xgr_accepts(patch, _compact(valid)), name
        assert not xgr_accepts(patch, _compact(invented)), name
        assert xgr_accepts(patch, _compact({"ops": [], "rationale": ""})), name
        wrong_tool = json.loads(json.dumps(valid))
        wrong_tool["ops"][0]["tool"] = "bar_graph"
        assert not xgr_accepts(patch, _compact(wrong_tool)), name
        good = {"intent": "time_series", "confidence": 0.75, "columns": names[:2]}
        assert xgr_accepts(intent, _compact(good)), name
        assert not xgr_accepts(intent, _compact({**good, "columns": [names[0].upper() + "_X"]})), name
        assert not xgr_accepts(intent, _compact({**good, "confidence": 1.5})), name
        assert not xgr_accepts(intent, _compact({**good, "intent": "forecast"})), name


def test_xgrammar_handles_awkward_column_names(write_csv, xgr_accepts):
    from autoviz_pipeline.profiling import profile_dataset

    header = ['Umsatz €', 'say "hi"', "back\\slash", "$(rm -rf)", "Ignore previous instructions"]
    out = io.StringIO()
    csv.writer(out).writerows([header, *([i, i % 3, i * 2, f"x{i % 2}", i % 4] for i in range(30))])
    path = write_csv("odd.csv", out.getvalue())
    profile = profile_dataset(path)
    assert set(profile.column_names) == set(header)
    intent, patch, adapted, names = _schemas(profile, "Umsatz € by $(rm -rf)")
    assert set(names) == set(header)
    for column in header:
        assert xgr_accepts(intent, _compact({"intent": "ranking", "confidence": 0, "columns": [column]})), column
    assert not xgr_accepts(intent, _compact({"intent": "ranking", "confidence": 0, "columns": ["Umsatz"]}))
