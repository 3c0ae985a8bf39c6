"""Three backends behind one protocol: ``check()`` once, then ``complete(messages, schema)`` → text.

    LLMError                 a call produced nothing usable; ``outcome`` says why (the proposer falls back)
    └── LLMUnavailable       the backend cannot be used at all (server down, model not served, no file)

- ``OfflineBackend``: no model; the proposer keeps the deterministic result.
- ``OpenAICompatibleBackend``: the ``openai`` client against vLLM, llama.cpp's server, Ollama or OpenAI.
  With ``use_grammar`` the per-dataset schema travels in the request shape the server understands
  (``request_format``), so the server's grammar engine can only emit real column names.
- ``GPT4AllBackend``: a local GGUF through ``gpt4all`` — no grammar support, so the prompt asks for
  JSON, generation stops when the first JSON object closes, and validation does the rest.

``openai`` and ``gpt4all`` are imported only inside the backend that needs them. Nothing a model
returns is used as a path, code or a command: backends return text, and ``proposer`` parses it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from .config import ModelSettings
from .prompts import Message

logger = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"


class LLMError(Exception):
    """A model call produced no usable text; ``outcome`` is the short label recorded in the manifest.
    ``transient``: the server may answer if asked again a little later (a 5xx, a 429, a timeout, a dropped
    connection); the Dagster stages retry those before they fall back."""

    def __init__(self, outcome: str, message: str, *, transient: bool = False) -> None:
        self.outcome, self.message, self.transient = outcome, message, transient
        super().__init__(f"{outcome}: {message}")


class LLMUnavailable(LLMError):
    """The backend cannot be used for this run; the message says what to start, fix or install."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__("unavailable", message, transient=transient)


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None


class Backend(Protocol):
    settings: ModelSettings

    @property
    def kind(self) -> str: ...

    @property
    def model(self) -> str: ...

    def check(self) -> None:
        """Raise ``LLMUnavailable`` with a clear message if the backend cannot answer."""

    def complete(self, messages: Sequence[Message], schema: Mapping[str, Any], *, name: str,
                 max_tokens: int) -> Completion:
        """The model's reply to ``messages``; ``schema`` constrains it where the backend can."""


# --------------------------------------------------------------------------------------------------
class OfflineBackend:
    """No model at all: the deterministic stages are the answer."""

    kind = "offline"
    model = "offline"

    def __init__(self, settings: ModelSettings | None = None) -> None:
        self.settings = settings or ModelSettings()

    def check(self) -> None:
        return None

    def complete(self, messages: Sequence[Message], schema: Mapping[str, Any], *, name: str,
                 max_tokens: int) -> Completion:
        raise LLMError("offline", "the offline backend does not call a model")


# --------------------------------------------------------------------------------------------------
class OpenAICompatibleBackend:
    """Chat completions on any OpenAI-compatible server, with the schema in the request when asked."""

    kind = "openai"

    def __init__(self, settings: ModelSettings) -> None:
        self.settings = settings
        self._served: str | None = settings.model_name or None
        self._checked = False
        self._client: Any = None

    @property
    def model(self) -> str:
        return self._served or self.settings.model_name or "?"

    def _openai(self) -> Any:
        if self._client is None:
            import openai

            key = os.environ.get(self.settings.api_key_env, "") if self.settings.api_key_env else ""
            # no automatic retries: a failed call falls back to the offline result instead of tripling the wait
            self._client = openai.OpenAI(base_url=self.settings.url, api_key=key or "EMPTY",
                                         timeout=self.settings.timeout, max_retries=0)
        return self._client

    def check(self) -> None:
        """``GET /v1/models``: is a server there, and does it serve the configured model?"""
        if self._checked:
            return
        import openai

        url = self.settings.url
        hint = ("Start the server (README: 'Use a real model'), point --llm-url / AUTOVIZ_LLM_URL at it, "
                "or run with --backend offline.")
        try:
            listed = self._openai().models.list(timeout=min(self.settings.timeout, 10.0))
            ids = [m.id for m in listed.data]
        except openai.APITimeoutError:
            raise LLMUnavailable(f"the LLM server at {url} did not answer GET /models in time. {hint}",
                                 transient=True) from None
        except openai.APIConnectionError as exc:
            raise LLMUnavailable(f"no LLM server answers at {url} ({_cause(exc)}). {hint}") from None
        except openai.APIStatusError as exc:
            raise LLMUnavailable(f"{url}/models answered HTTP {exc.status_code} ({_body(exc)}); "
                                 f"is {url} the server's base URL (ending in /v1)? {hint}",
                                 transient=is_transient_status(exc.status_code)) from None
        except openai.OpenAIError as exc:
            raise LLMUnavailable(f"{url}/models gave an unreadable answer ({exc}). {hint}") from None
        wanted = self.settings.model_name
        if not wanted:
            if len(ids) != 1:
                raise LLMUnavailable(f"{url} serves {len(ids)} models ({_names(ids)}); say which one with "
                                     "--model, AUTOVIZ_LLM_MODEL or model_name in config/autoviz.yaml.")
            self._served = ids[0]
        elif wanted not in ids:
            raise LLMUnavailable(f"model {wanted!r} is not served at {url}; it serves: {_names(ids)}. "
                                 "Fix --model / AUTOVIZ_LLM_MODEL / model_name in config/autoviz.yaml "
                                 "(vLLM: the --served-model-name).")
        self._checked = True

    def request(self, messages: Sequence[Message], schema: Mapping[str, Any], *, name: str,
                max_tokens: int) -> dict[str, Any]:
        """The keyword arguments for ``chat.completions.create`` (one place that knows the wire shapes)."""
        s = self.settings
        kwargs: dict[str, Any] = {"model": self.model, "messages": list(messages), "max_tokens": max_tokens,
                                  "temperature": s.temperature, "timeout": s.timeout}
        if s.seed is not None:
            kwargs["seed"] = s.seed
        if s.use_grammar:
            if s.request_format == "json_schema":  # OpenAI, vLLM, llama.cpp's llama-server
                kwargs["response_format"] = {"type": "json_schema",
                                             "json_schema": {"name": name, "schema": dict(schema), "strict": True}}
            elif s.request_format == "structured_outputs":  # vLLM >= 0.10.2 (guided_json is ignored since 0.12)
                kwargs["extra_body"] = {"structured_outputs": {"json": dict(schema)}}
            else:  # llama-cpp-python's server
                kwargs["response_format"] = {"type": "json_object", "schema": dict(schema)}
        return kwargs

    def complete(self, messages: Sequence[Message], schema: Mapping[str, Any], *, name: str,
                 max_tokens: int) -> Completion:
        import openai

        self.check()
        try:
            response = self._openai().chat.completions.create(
                **self.request(messages, schema, name=name, max_tokens=max_tokens))
        except openai.APITimeoutError:
            raise LLMError("timeout", f"no answer within {self.settings.timeout:g} s", transient=True) from None
        except openai.APIStatusError as exc:
            raise LLMError(f"http_{exc.status_code}", _body(exc),
                           transient=is_transient_status(exc.status_code)) from None
        except openai.APIConnectionError as exc:
            raise LLMError("connection_error", _cause(exc), transient=True) from None
        except openai.OpenAIError as exc:
            raise LLMError("error", str(exc)[:300]) from None
        choices = getattr(response, "choices", None) or []
        if not choices:
            raise LLMError("empty", "the answer had no choices")
        choice = choices[0]
        message = choice.message
        refusal = getattr(message, "refusal", None)
        if refusal:
            raise LLMError("refusal", str(refusal)[:300])
        text = message.content or ""
        if not text.strip():
            raise LLMError("empty", f"empty content (finish_reason={choice.finish_reason})")
        usage = getattr(response, "usage", None)
        return Completion(text=text, prompt_tokens=getattr(usage, "prompt_tokens", None),
                          completion_tokens=getattr(usage, "completion_tokens", None),
                          finish_reason=choice.finish_reason)


def is_transient_status(status: int) -> bool:
    """An HTTP status worth asking again for: the server's own failure (5xx) or its rate limit (429); a 4xx
    says the request itself is wrong, and asking again gets the same answer."""
    return status >= 500 or status == 429


def _cause(exc: BaseException) -> str:
    inner = exc.__cause__ or exc.__context__
    return f"{type(inner).__name__}: {inner}"[:200] if inner else str(exc)[:200]


def _body(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, Mapping):
        body = body.get("message") or body.get("error") or body
    return (json.dumps(body) if not isinstance(body, str) else body)[:300] if body else str(exc)[:300]


def _names(ids: Sequence[str]) -> str:
    return ", ".join(ids[:10]) + (" …" if len(ids) > 10 else "") if ids else "none"


# --------------------------------------------------------------------------------------------------
class GPT4AllBackend:
    """A local GGUF via gpt4all: no grammar, so prompt for JSON and stop when the first object closes."""

    kind = "gpt4all"

    def __init__(self, settings: ModelSettings, *, root: Path | None = None) -> None:
        self.settings = settings
        self._root = root
        self._model: Any = None

    @property
    def model(self) -> str:
        return Path(self.settings.model_path).name or self.settings.model_name or "?"

    def path(self) -> Path:
        if not self.settings.model_path:
            raise LLMUnavailable("the gpt4all backend needs model_path (the .gguf file) in config/autoviz.yaml "
                                 "or --model PATH.")
        path = Path(self.settings.model_path).expanduser()
        if not path.is_absolute():
            from ..settings import project_root

            path = (self._root or project_root()) / path
        return path

    def check(self) -> None:
        if self._model is not None:
            return
        path = self.path()
        try:
            import gpt4all  # noqa: F401
        except ImportError:
            raise LLMUnavailable("the gpt4all package is not installed: "
                                 "pip install 'autoviz-pipeline[gpt4all]'") from None
        if path.is_file():
            with path.open("rb") as fh:  # llama.cpp aborts the whole process on a malformed file
                if fh.read(4) != GGUF_MAGIC:
                    raise LLMUnavailable(f"{path} is not a GGUF file (no GGUF header); give a .gguf model.")
        elif not self.settings.allow_download:
            raise LLMUnavailable(f"model file {path} does not exist. Download a GGUF yourself, or set "
                                 "allow_download: true for this model to let gpt4all fetch it by name.")
        self._model = _load_gpt4all(str(path), self.settings.allow_download, self.settings.device,
                                    self.settings.n_threads, self.settings.context_tokens)

    def prompt(self, messages: Sequence[Message]) -> str:
        """The chat rendered with the model's ``chat_format`` (gpt4all ignores the GGUF's own template)."""
        turns = "".join(self.settings.chat_format.replace("{role}", m["role"]).replace("{content}", m["content"])
                        for m in messages)
        return turns + self.settings.chat_format.split("{content}")[0].replace("{role}", "assistant")

    def complete(self, messages: Sequence[Message], schema: Mapping[str, Any], *, name: str,
                 max_tokens: int) -> Completion:
        self.check()
        watcher = _JsonWatcher()
        deadline = time.monotonic() + self.settings.timeout
        state = {"tokens": 0, "timed_out": False}

        def keep_going(token_id: int, piece: str) -> bool:
            state["tokens"] += 1
            if time.monotonic() > deadline:
                state["timed_out"] = True
                return False
            return not watcher.feed(piece)

        with _GPT4ALL_LOCK:  # one generation at a time per process: the model object is not thread-safe
            try:
                text = self._model.generate(self.prompt(messages), max_tokens=max_tokens,
                                            temp=self.settings.temperature, callback=keep_going)
            except Exception as exc:  # noqa: BLE001 - the bindings raise bare Exceptions; fall back on any
                raise LLMError("error", f"gpt4all: {type(exc).__name__}: {exc}"[:300]) from None
        if state["timed_out"]:
            raise LLMError("timeout", f"generation passed {self.settings.timeout:g} s")
        if not text.strip():
            raise LLMError("empty", "the model generated nothing")
        return Completion(text=text, prompt_tokens=None, completion_tokens=state["tokens"],
                          finish_reason="stop" if watcher.closed else "length")


_GPT4ALL_LOCK = threading.Lock()
_LOADED: dict[tuple[Any, ...], Any] = {}


def _load_gpt4all(path: str, allow_download: bool, device: str, n_threads: int | None, n_ctx: int) -> Any:
    """Load once per process (a real model takes seconds; both stages share it)."""
    key = (path, allow_download, device, n_threads, n_ctx)
    with _GPT4ALL_LOCK:
        if key not in _LOADED:
            from gpt4all import GPT4All

            p = Path(path)
            logger.info("loading %s with gpt4all", p)
            try:
                _LOADED[key] = GPT4All(model_name=p.name, model_path=str(p.parent), allow_download=allow_download,
                                       device=device, n_threads=n_threads, n_ctx=n_ctx, verbose=False)
            except Exception as exc:  # noqa: BLE001 - gpt4all raises ValueError/RuntimeError/OSError variously
                raise LLMUnavailable(f"gpt4all could not load {p}: {exc}") from None
        return _LOADED[key]


class _JsonWatcher:
    """Tells when the first top-level JSON object in a stream of pieces has closed."""

    def __init__(self) -> None:
        self.depth = 0
        self.started = self.closed = self.in_string = self.escaped = False

    def feed(self, piece: str) -> bool:
        for ch in piece:
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif ch == "\\":
                    self.escaped = True
                elif ch == '"':
                    self.in_string = False
            elif ch == '"' and self.started:
                self.in_string = True
            elif ch == "{":
                self.started = True
                self.depth += 1
            elif ch == "}" and self.started:
                self.depth -= 1
                if self.depth == 0:
                    self.closed = True
                    return True
        return False


# --------------------------------------------------------------------------------------------------
def make_backend(settings: ModelSettings) -> Backend:
    """The backend for one model's settings."""
    if settings.backend == "openai":
        return OpenAICompatibleBackend(settings)
    if settings.backend == "gpt4all":
        return GPT4AllBackend(settings)
    return OfflineBackend(settings)
