"""A real SMTP server on loopback (aiosmtpd) for tests: receives, refuses, speaks TLS, logs in.

It runs in its own thread and event loop, as a remote server would. Tests read back what
arrived (envelope and raw bytes) and script the answer to RCPT TO.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME, PASSWORD = "loket", "correct horse battery staple"


def free_port() -> int:
    """aiosmtpd's Controller cannot listen on port 0 (it connects to its port to check it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(folder: Path) -> Path | None:
    """A certificate and key for 127.0.0.1 in one PEM file, by the openssl tool; None without it."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    pem, key = folder / "server.pem", folder / "server.key"
    subprocess.run(  # noqa: S603
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(pem)],
        check=True, capture_output=True,
    )  # fmt: skip
    pem.write_text(pem.read_text() + key.read_text())
    return pem


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    login: bytes | None

    def parsed(self) -> EmailMessage:
        return message_from_bytes(self.data, policy=policy.default)


@dataclass
class LocalSmtp:
    #: The answer to RCPT TO, e.g. "550 5.1.1 No such user"; None accepts.
    rcpt_reply: str | None = None
    received: list[Received] = field(default_factory=list)
    port: int = field(default_factory=free_port)

    # aiosmtpd handler hooks, called on the server's thread.
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        rcpt_tos = list(envelope.rcpt_tos)
        self.received.append(
            Received(envelope.mail_from, rcpt_tos, envelope.content, _login(session))
        )
        return "250 Message accepted for delivery"

    def start(self, *, certificate: Path | None = None, implicit_tls: bool = False) -> Controller:
        """Plain; with a certificate, STARTTLS and login required, or TLS from the first byte."""
        options: dict = {}
        if certificate is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificate)
            if implicit_tls:
                options = {"ssl_context": context}
            else:
                options = {
                    "tls_context": context,
                    "require_starttls": True,
                    "auth_required": True,
                    "authenticator": _authenticate,
                }
        controller = Controller(self, hostname="127.0.0.1", port=self.port, **options)
        controller.start()
        return controller


def _authenticate(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USERNAME.encode(),
        PASSWORD.encode(),
    )
    # handled=False makes aiosmtpd answer 535 itself; True would leave the client waiting.
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def _login(session) -> bytes | None:
    data = session.auth_data
    return data.login if isinstance(data, LoginPassword) else None


def client_context(certificate: Path) -> ssl.SSLContext:
    """What a client needs to trust the self-signed server (and check its name)."""
    return ssl.create_default_context(cafile=str(certificate))
