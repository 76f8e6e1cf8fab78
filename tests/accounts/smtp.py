"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, and can answer
"451 try again later" to the first deliveries."""
from __future__ import annotations

import email
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller

from tests.servers import free_port


class Inbox:
    def __init__(self, *, refuse_first: int = 0) -> None:
        self.messages: list[EmailMessage] = []
        self.refused = 0
        self.refuse_first = refuse_first
        self.port = 0
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope) -> str:  # type: ignore[no-untyped-def]
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        message = email.message_from_bytes(envelope.content, policy=default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 2.0.0 OK"

    def wait_for(self, count: int = 1, timeout: float = 30) -> list[EmailMessage]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout):
                raise AssertionError(f"{count} mail(s) expected, {len(self.messages)} arrived in {timeout}s")
            return list(self.messages)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@contextmanager
def smtp_server(**options: int) -> Iterator[Inbox]:
    inbox = Inbox(**options)
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def body_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
