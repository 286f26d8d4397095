"""A fake SMS provider on 127.0.0.1 (stdlib http.server in a thread).

It records every call and, like real providers, dedupes by the ``Idempotency-Key`` header: a
repeated key gets the first answer again and sends nothing new. ``script`` queues answers for
the next calls: an HTTP status (an error, nothing sent) or ``"slow"`` (the message is accepted at
once, but the answer comes only after ``slow_seconds``, when the client has timed out).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # many workers connecting at once (the default backlog is 5)


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    payload: dict


@dataclass
class FakeSmsProvider:
    token: str = "provider-secret"
    slow_seconds: float = 1.0
    calls: list[Call] = field(default_factory=list)
    sent: dict[str, dict] = field(default_factory=dict)  # idempotency key -> the one delivery
    script: deque = field(default_factory=deque)

    def __post_init__(self):
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str = "/messages") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}{path}"

    def start(self) -> FakeSmsProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.sent.clear()
            self.script.clear()

    def answer(self, call: Call) -> tuple[int, dict]:
        """What the provider says to one call (runs in the server's thread)."""
        with self._lock:
            self.calls.append(call)
            step = self.script.popleft() if self.script else None
        if call.headers.get("authorization") != f"Bearer {self.token}":
            return 401, {"error": "bad token"}
        if isinstance(step, int):
            return step, {"error": f"scripted {step}"}
        answer = self._accept(call)
        if step == "slow":  # accepted at once, answered too late: the client has timed out
            time.sleep(self.slow_seconds)
        return answer

    def _accept(self, call: Call) -> tuple[int, dict]:
        key = call.headers.get("idempotency-key", "")
        with self._lock:
            if key in self.sent:
                return 200, self.sent[key]
            self.sent[key] = {"id": f"prov-{len(self.sent) + 1}", "to": call.payload.get("to"),
                              "text": call.payload.get("text"), "path": call.path}
            return 201, self.sent[key]


def _handler_for(provider: FakeSmsProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive for pooled clients (every answer has a Content-Length)
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between the header and body writes

        def do_POST(self):  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            payload = json.loads(self.rfile.read(length) or b"{}")
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, body = provider.answer(Call(self.path, headers, payload))
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout): the message was still accepted
                pass

        def log_message(self, *_args):
            pass

    return Handler
