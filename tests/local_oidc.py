"""A real OpenID Connect provider on loopback for the single sign-on tests: panva's
oidc-provider (OpenID Certified) run by node from tests/oidc_provider (``make oidc-provider``
installs it with npm ci), with static test users whose groups the role map below knows.

``sign_in_at_provider`` plays the browser at the provider: it follows the authorization
request, fills in the provider's login page, allows Loket on its consent page and returns
the callback URL the provider redirects to.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tests.local_smtp import free_port

FOLDER = Path(__file__).parent / "oidc_provider"
CLIENT_ID, CLIENT_SECRET = "loket", "loket-test-secret"
#: Every test user's password at the provider (tests/oidc_provider/provider.mjs).
PASSWORD = "provider test password"
#: The groups of provider.mjs's users, as a municipality's administrators would map them.
ROLE_MAP = {
    "loket-noordoost-consultants": "consultant@noordoost-brabant",
    "loket-noordoost-coordinators": "coordinator@noordoost-brabant",
    "loket-west-consultants": "consultant@west-brabant",
    "loket-ghost-consultants": "consultant@atlantis",
    "loket-admins": "admin",
}
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')


@dataclass(frozen=True)
class OidcProvider:
    issuer: str

    def env(self, **overrides: str) -> dict[str, str]:
        """Loket's settings for this provider (environment variables)."""
        return {
            "LOKET_OIDC_ISSUER": self.issuer,
            "LOKET_OIDC_CLIENT_ID": CLIENT_ID,
            "LOKET_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "LOKET_OIDC_SCOPES": "openid email profile groups",
            "LOKET_OIDC_ROLE_MAP": json.dumps(ROLE_MAP),
            "LOKET_OIDC_NAME": "Provincie Test-ID",
            **overrides,
        }


def _wait_for(issuer: str, process: subprocess.Popen, log: Path, limit: float = 30) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oidc-provider exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise RuntimeError("oidc-provider did not answer discovery")


@contextmanager
def oidc_provider(redirect_uris: list[str], log: Path) -> Iterator[OidcProvider]:
    """The provider on a free loopback port, accepting these redirect URIs, until the block
    ends; its output goes to ``log``."""
    node = shutil.which("node")
    assert node, "node is missing: Debian's nodejs package"
    assert (FOLDER / "node_modules" / "oidc-provider").is_dir(), "run make oidc-provider"
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 (node, our script, our settings)
            [node, str(FOLDER / "provider.mjs")],
            cwd=FOLDER,
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "OIDC_PORT": str(port),
                "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            },
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    issuer = f"http://127.0.0.1:{port}"
    try:
        _wait_for(issuer, process, log)
        yield OidcProvider(issuer)
    finally:
        process.terminate()
        process.wait(timeout=10)


async def sign_in_at_provider(authorize_url: str, username: str) -> str:
    """The URL the provider sends the browser back to after ``username`` signs in and
    allows Loket (an error redirect too)."""
    async with httpx.AsyncClient(timeout=10) as browser:
        url = authorize_url
        for _ in range(12):
            response = await browser.get(url)
            if response.status_code in (302, 303):
                url = urljoin(url, response.headers["location"])
                if "/staff/sso/callback" in url:
                    return url
                continue
            action = urljoin(url, FORM_ACTION.search(response.text).group(1))
            form = {"username": username, "password": PASSWORD} if "/login" in action else {}
            response = await browser.post(action, data=form)
            assert response.status_code in (302, 303), response.text
            url = urljoin(action, response.headers["location"])
            if "/staff/sso/callback" in url:
                return url
    raise AssertionError("the provider never sent the browser back to Loket")
