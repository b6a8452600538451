"""A real SMTP server on 127.0.0.1 (aiosmtpd in a thread) for tests, browser tests and the
benchmark: it keeps what it receives, and can refuse chosen recipients."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: `messages` received (parsed), or only `count` when keep=False."""

    def __init__(self, *, keep=True):
        self.keep = keep
        self.messages = []
        self.recipients = []
        self.count = 0
        self.refuse = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        self.recipients.extend(envelope.rcpt_tos)
        if self.keep:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]


class LocalSMTP:
    """with LocalSMTP() as server: server.url is smtp://127.0.0.1:PORT, server.inbox collects."""

    def __init__(self, *, keep=True):
        self.inbox = Inbox(keep=keep)
        self.port = free_port()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
