"""A real SMTP server for the mail tests: aiosmtpd, started once per run on a free port, that keeps what
arrives (each message parsed as a mail program would) and can be told to refuse the next few with a reply
of the test's choosing. ``smtp`` points the suite's app at it for one test; without it the app uses the
outbox."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.exchanges.conftest import api_as, exchange_of, gardening  # noqa: F401 (fixtures shared with this directory)
from timebank.mail import transport
from timebank.mail.transport import smtp_settings


class Inbox:
    """aiosmtpd's handler: what arrived, and the replies to give instead of accepting."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refusals: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refusals:
            return self.refusals.pop(0)
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def smtp(app: Flask, smtp_server: tuple[Inbox, int]) -> Iterator[Inbox]:
    """The app sends by SMTP to the test server for this test (an empty inbox at its start)."""
    inbox, port = smtp_server
    inbox.messages.clear()
    inbox.refusals.clear()
    url = f"smtp://127.0.0.1:{port}"
    settings = {"MAIL_URL": url, "MAIL_DEFAULT_SENDER": "Hollinbridge Time Bank <hello@tb.example>",
                "BASE_URL": "https://timebank.example/", **smtp_settings(url)}
    before = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    transport.init_app(app)
    try:
        yield inbox
    finally:
        app.config.update(before)
        transport.init_app(app)
