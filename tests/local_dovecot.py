"""A real IMAP server on loopback for tests: Dovecot (Debian's dovecot-imapd) with its own
configuration, mail and sockets in a temporary folder, IMAPS on a free port, no system
service. Mail is delivered by IMAP APPEND, as a mail server would put it in the inbox.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from imap_tools import MailBox

from tests.local_smtp import free_port, self_signed

USERNAME, PASSWORD = "loket@bmip.example", "organizer-mailbox-2027"


@dataclass(frozen=True)
class Dovecot:
    port: int
    certificate: Path

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def mailbox(self) -> MailBox:
        box = MailBox("127.0.0.1", self.port, ssl_context=self.tls(), timeout=10)
        return box.login(USERNAME, PASSWORD)

    def deliver(self, message: bytes, folder: str = "INBOX") -> None:
        with self.mailbox() as box:
            box.append(message, folder)

    def subjects(self, folder: str) -> list[str]:
        with self.mailbox() as box:
            if not box.folder.exists(folder):
                return []
            box.folder.set(folder)
            return sorted(m.subject for m in box.fetch(mark_seen=False))


def _binary() -> str:
    found = shutil.which("dovecot") or "/usr/sbin/dovecot"
    assert Path(found).exists(), "Dovecot is missing: Debian's dovecot-imapd (make calendar-tools)"
    return found


CONFIG = """\
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
info_log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{pem}
ssl_key = <{pem}
auth_mechanisms = plain login
first_valid_uid = 100
disable_plaintext_auth = yes
mail_location = maildir:{mail}/%n
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={mail}/%n
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
# The test's folder is root's (mode 0700): the processes that read it run as root too.
service auth {{
  user = root
}}
service auth-worker {{
  user = root
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@contextmanager
def dovecot(folder: Path) -> Iterator[Dovecot]:
    """Dovecot serving IMAPS on a free loopback port until the block ends."""
    pem = self_signed(folder)
    assert pem is not None, "openssl is missing"
    port = free_port()
    (folder / "users").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}\n")
    config = folder / "dovecot.conf"
    # Mail is written as the dovecot user (Dovecot never writes mail as root), in a folder
    # of its own that the user can reach; the test's own folder is root's alone.
    mail = Path(tempfile.mkdtemp(prefix="loket-imap-"))
    mail.chmod(0o711)
    account = pwd.getpwnam("dovecot")
    os.chown(mail, account.pw_uid, account.pw_gid)
    config.write_text(CONFIG.format(folder=folder, pem=pem, port=port, mail=mail))
    binary = _binary()
    # Dovecot forks into the background: its output goes to its log, never to a pipe that
    # the forked master would keep open.
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run([binary, "-c", str(config)], check=True, **quiet)  # noqa: S603
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError((folder / "dovecot.log").read_text()) from None
                time.sleep(0.05)
        yield Dovecot(port, pem)
    finally:
        subprocess.run([binary, "-c", str(config), "stop"], check=False, **quiet)  # noqa: S603
        shutil.rmtree(mail, ignore_errors=True)
