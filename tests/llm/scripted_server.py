"""An OpenAI-compatible server on 127.0.0.1 that replays scripted replies, as a server without grammar
might answer: hallucinated columns, invalid JSON, HTTP errors, slow or empty replies, refusals.

    with ScriptedServer(models=["qwen"]) as server:
        server.script(Reply(content='{"intent": ...}'), Reply(status=500))
        ... OpenAI(base_url=server.url) ...
        server.requests   # every JSON body received on /v1/chat/completions
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    content: str | None = ""
    status: int = 200
    delay: float = 0.0
    refusal: str | None = None
    finish_reason: str = "stop"


class ScriptedServer:
    def __init__(self, models: Sequence[str] = ("scripted",)) -> None:
        self.models = list(models)
        self.requests: list[dict[str, Any]] = []
        self.model_listings = 0
        self._replies: list[Reply] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Reply | str) -> None:
        with self._lock:
            self._replies += [r if isinstance(r, Reply) else Reply(content=r) for r in replies]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self._replies.pop(0) if self._replies else Reply(status=500, content="no scripted reply left")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any) -> None:
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    server.model_listings += 1
                    return self._send(200, {"object": "list",
                                            "data": [{"id": m, "object": "model", "owned_by": "test"} for m in server.models]})
                self._send(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found"}})
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                reply = server._next(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.status != 200:
                    return self._send(reply.status, {"error": {"message": reply.content or "error", "type": "server_error"}})
                text = reply.content or ""
                self._send(200, {
                    "id": "chatcmpl-" + uuid.uuid4().hex, "object": "chat.completion", "created": int(time.time()),
                    "model": body.get("model", "?"),
                    "choices": [{"index": 0, "finish_reason": reply.finish_reason,
                                 "message": {"role": "assistant", "content": reply.content, "refusal": reply.refusal}}],
                    "usage": {"prompt_tokens": sum(len(m.get("content", "")) for m in body.get("messages", [])) // 4,
                              "completion_tokens": len(text) // 4, "total_tokens": 0},
                })

        return Handler
