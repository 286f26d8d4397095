"""A real SMTP server on 127.0.0.1 (aiosmtpd in a thread) that keeps what it receives.

Replies can be scripted per recipient (``refuse``) or for the DATA stage (``data_reply``);
``logins`` records successful AUTH attempts when credentials are set.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


class FakeSmtpServer:
    def __init__(self, username: str | None = None, password: str | None = None):
        self.port = free_port()
        self.received: list[Received] = []
        self.refuse: dict[str, str] = {}
        self.data_reply: str | None = None
        self.credentials = (username, password)
        self.logins: list[str] = []
        options = {"authenticator": self._authenticate, "auth_require_tls": False} if username else {}
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)

    def start(self) -> FakeSmtpServer:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def reset(self) -> None:
        self.received.clear()
        self.refuse.clear()
        self.logins.clear()
        self.data_reply = None

    def _authenticate(self, _server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (
            auth_data.login.decode(), auth_data.password.decode()) == self.credentials
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok, handled=False)

    async def handle_RCPT(self, _server, _session, envelope, address, _options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server, _session, envelope):
        if self.data_reply:
            return self.data_reply
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"
