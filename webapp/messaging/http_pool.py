"""Keep-alive HTTP connections for batch sending: one connection per host and thread, reused.

A POST that fails on a reused connection the server had already closed is sent once more on a
fresh one; that is safe here because every SMS call carries its idempotency key. ``close()``
closes every connection the pool opened, from whichever thread.
"""

from __future__ import annotations

import http.client
import ssl
import threading
from urllib.parse import urlsplit

STALE = (http.client.RemoteDisconnected, http.client.CannotSendRequest, BrokenPipeError, ConnectionResetError)


def _connect(scheme: str, host: str, port: int | None, timeout: float) -> http.client.HTTPConnection:
    if scheme == "https":
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=ssl.create_default_context())
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _once(connection: http.client.HTTPConnection, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    data = response.read()
    if response.will_close:
        connection.close()
    return response.status, data


class Pool:
    def __init__(self):
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened: list[http.client.HTTPConnection] = []

    def _connections(self) -> dict:
        if not hasattr(self._local, "connections"):
            self._local.connections = {}
        return self._local.connections

    def _get(self, key: tuple, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        connections = self._connections()
        if key in connections:
            return connections[key], True
        connection = connections[key] = _connect(key[0], key[1], key[2], timeout)
        with self._lock:
            self._opened.append(connection)
        return connection, False

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
        """POST on this thread's kept-alive connection to the URL's host; (status, body). OSError on failure."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection, reused = self._get((parts.scheme, parts.hostname, parts.port), timeout)
        connection.timeout = timeout
        try:
            return _once(connection, path, body, headers)
        except STALE:
            connection.close()
            if not reused:
                raise
            return _once(connection, path, body, headers)  # close() made it reconnect on this request
        except (OSError, http.client.HTTPException):
            connection.close()  # the next request on this thread reconnects
            raise

    def close(self) -> None:
        with self._lock:
            for connection in self._opened:
                connection.close()
            self._opened.clear()
