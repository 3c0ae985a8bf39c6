"""`autoviz run --backend/--llm-url/--model` and `autoviz schema`, as a user runs them (subprocesses)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import DECEMBER, ROOT
from tests.llm.scripted_server import Reply, ScriptedServer


def _autoviz(*args, tmp_path, env=None):
    environ = {**os.environ, "AUTOVIZ_STORAGE_DIR": str(tmp_path / "storage"),
               "AUTOVIZ_OUTPUTS_DIR": str(tmp_path / "outputs"), **(env or {})}
    environ.pop("DAGSTER_HOME", None)
    return subprocess.run([sys.executable, "-m", "autoviz_pipeline.cli", *args], capture_output=True, text=True,
                          env=environ, cwd=ROOT, timeout=300)


def test_run_with_a_server_prints_each_call_and_falls_back_visibly(tmp_path):
    with ScriptedServer(models=["qwen"]) as server:
        server.script('{"intent": "ranking", "confidence": 0.7, "columns": ["revenue"]}',
                      *[Reply(status=500, content="x")] * 3)  # a 5xx is retried twice, then the stage falls back
        p = _autoviz("run", str(DECEMBER), "revenue totals by region and product type", "--out", str(tmp_path / "r"),
                     "--backend", "vllm", "--llm-url", server.url, "--model", "qwen", tmp_path=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "intent ranking (0.70, llm)" in p.stdout
    assert "llm intent: openai/qwen ok (" in p.stdout
    assert "llm adapt: openai/qwen http_500: x (" in p.stdout and "offline result used" in p.stdout
    manifest = json.loads((tmp_path / "r" / "manifest.json").read_text())
    assert [c["outcome"].split(":")[0] for c in manifest["llm_calls"]] == ["ok", "http_500"]


def test_environment_selects_the_backend_and_a_dead_server_is_reported(tmp_path):
    env = {"AUTOVIZ_LLM_BACKEND": "openai", "AUTOVIZ_LLM_URL": "http://127.0.0.1:9/v1", "AUTOVIZ_LLM_MODEL": "m"}
    p = _autoviz("run", str(DECEMBER), "revenue by region", "--out", str(tmp_path / "r"), tmp_path=tmp_path, env=env)
    assert p.returncode == 0, p.stderr  # the run goes on offline
    assert "llm intent: openai/m unavailable: no LLM server answers at http://127.0.0.1:9/v1" in p.stdout
    assert "intent comparative_analysis" in p.stdout and "offline)" in p.stdout


def test_schema_command_prints_the_dataset_schema_and_prompt(tmp_path):
    p = _autoviz("schema", str(DECEMBER), "--stage", "intent", tmp_path=tmp_path)
    assert p.returncode == 0, p.stderr
    schema = json.loads(p.stdout)
    assert schema["properties"]["columns"]["items"]["enum"] == ["date", "revenue", "region", "product_category"]
    p = _autoviz("schema", str(DECEMBER), "--stage", "adapt", "--question", "revenue by region", "--prompt",
                 tmp_path=tmp_path)
    messages = json.loads(p.stdout)
    assert messages[0]["role"] == "system" and 'Question: "revenue by region"' in messages[1]["content"]
    p = _autoviz("schema", str(DECEMBER), "--backend", "nonsense", tmp_path=tmp_path)
    assert p.returncode == 2 and "invalid choice" in p.stderr
