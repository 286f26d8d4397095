"""Logging in like a browser: GET /login for the CSRF token, POST the form, keep the cookies."""

from __future__ import annotations

import http.client
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench.loadgen import ALLOWED_HOST


class _CsrfFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token" and self.token is None:
            self.token = values.get("value")


class Browser:
    """One cookie jar against one local server."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def cookie_header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict, str]:
        headers = self.cookie_header()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(ALLOWED_HOST, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, dict(response.headers), text
        finally:
            conn.close()

    def login(self, email: str, password: str) -> None:
        status, _headers, page = self.request("GET", "/login")
        finder = _CsrfFinder()
        finder.feed(page)
        if status != 200 or not finder.token:
            raise RuntimeError(f"GET /login gave {status} without a csrf_token input")
        form = {"email": email, "password": password, "csrf_token": finder.token, "next": ""}
        status, _headers, page = self.request("POST", "/login", form)
        if status not in (302, 303):
            raise RuntimeError(f"POST /login for {email} gave {status}, not a redirect: {page[:300]!r}")
