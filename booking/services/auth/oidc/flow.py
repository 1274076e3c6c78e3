"""The OpenID Connect authorization code flow against the one configured provider (authlib).

``begin`` sends the browser to the provider with PKCE (S256), a nonce and a state, all kept
in the signed cookie of state.py; ``finish`` takes the provider's answer and returns the
identity it vouches for, or raises. Every step that could let someone else's sign-in or a
forged token through is checked here: discovery must name exactly the configured issuer,
the callback's state must match the cookie, its ``iss`` (RFC 9207) the issuer, and the ID
token must be signed by a key of the provider's JWKS, for this client, with this nonce.
"""

from __future__ import annotations

import hmac
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from booking.services.auth.oidc.errors import SsoRejected, SsoUnavailable
from booking.services.auth.oidc.state import Pending, seal, unseal
from booking.settings import Settings

# authlib 1.9 prefers the httpx2 fork and warns once when it falls back to httpx, which Loket
# already uses; only that one warning is silenced.
with warnings.catch_warnings():
    warnings.filterwarnings(
        "ignore", message="The httpx module is deprecated", category=AuthlibDeprecationWarning
    )
    from authlib.integrations.httpx_client import AsyncOAuth2Client, OAuthError

CALLBACK_PATH = "/staff/sso/callback"
TIMEOUT_SECONDS = 10
#: Clock skew accepted between the provider and Loket for the ID token's times.
LEEWAY_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in: its issuer and stable subject, and the claims that
    decide which login and role they get."""

    issuer: str
    subject: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Endpoints:
    authorization: str
    token: str
    jwks: str
    userinfo: str
    sends_iss: bool
    algorithms: tuple[str, ...]


def redirect_uri(settings: Settings) -> str:
    return f"{settings.public_base_url}{CALLBACK_PATH}"


def _client(settings: Settings) -> AsyncOAuth2Client:
    secret = settings.oidc_client_secret
    return AsyncOAuth2Client(
        client_id=settings.oidc_client_id,
        client_secret=secret or None,
        scope=" ".join(settings.oidc_scopes),
        redirect_uri=redirect_uri(settings),
        code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic" if secret else "none",
        timeout=TIMEOUT_SECONDS,
    )


async def _json(http: AsyncOAuth2Client, url: str, what: str, with_token: bool = False) -> dict:
    """A JSON object from the provider; only userinfo is asked with the access token."""
    try:
        response = await http.request(
            "GET", url, headers={"accept": "application/json"}, withhold_token=not with_token
        )
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise SsoUnavailable(what) from error
    if not isinstance(data, dict):
        raise SsoUnavailable(what)
    return data


async def _discover(http: AsyncOAuth2Client, settings: Settings) -> _Endpoints:
    """The provider's endpoints, from a discovery document that names exactly our issuer
    (OpenID Connect Discovery 4.3): a look-alike cannot hand out its own endpoints."""
    issuer = settings.oidc_issuer
    data = await _json(http, f"{issuer.rstrip('/')}/.well-known/openid-configuration", "discovery")
    if data.get("issuer") != issuer:
        raise SsoUnavailable("issuer")
    try:
        endpoints = (data["authorization_endpoint"], data["token_endpoint"], data["jwks_uri"])
    except KeyError as error:
        raise SsoUnavailable("discovery") from error
    # Symmetric algorithms would accept a token signed with our own client secret.
    algorithms = tuple(
        a
        for a in data.get("id_token_signing_alg_values_supported") or ("RS256",)
        if a != "none" and not a.startswith("HS")
    )
    return _Endpoints(
        *endpoints,
        userinfo=data.get("userinfo_endpoint") or "",
        sends_iss=data.get("authorization_response_iss_parameter_supported") is True,
        algorithms=algorithms or ("RS256",),
    )


async def begin(settings: Settings, now: datetime) -> tuple[str, str]:
    """Where to send the browser, and the sealed cookie that must come back with it."""
    pending = Pending.new(now)
    async with _client(settings) as http:
        endpoints = await _discover(http, settings)
        url, _ = http.create_authorization_url(
            endpoints.authorization,
            state=pending.state,
            code_verifier=pending.verifier,
            nonce=pending.nonce,
        )
    return url, seal(pending, settings.secret_key)


def _id_token_claims(
    id_token: str, keys: KeySet, settings: Settings, nonce: str, algorithms: tuple[str, ...]
) -> dict:
    """The ID token's claims once its signature, issuer, audience, times and nonce hold.

    Its times are the provider's wall clock, so they are checked against ours, not the
    application clock that tests move.
    """
    try:
        token = jwt.decode(id_token, keys, algorithms=list(algorithms))
        jwt.JWTClaimsRegistry(
            now=lambda: int(time.time()),
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": settings.oidc_issuer},
            aud={"essential": True, "value": settings.oidc_client_id},
            sub={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (JoseError, ValueError) as error:
        raise SsoRejected("id_token") from error
    claims = token.claims
    several = isinstance(claims["aud"], list) and len(claims["aud"]) > 1
    if several and claims.get("azp") != settings.oidc_client_id:
        raise SsoRejected("id_token")
    return claims


def _identity(claims: Mapping, settings: Settings) -> Identity:
    """The claims Loket keeps, fit for its columns: a subject of at most 255 printable
    characters (OpenID Connect Core 2), an address that fits or none, a name without control
    characters (PostgreSQL refuses NUL)."""
    subject = str(claims["sub"])
    if not (0 < len(subject) <= 255 and subject.isprintable()):
        raise SsoRejected("sub")
    email = str(claims.get("email") or "").strip().lower()
    if not (len(email) <= 254 and email.isprintable()):
        email = ""
    name = "".join(c for c in str(claims.get("name") or email) if c.isprintable())
    groups = claims.get(settings.oidc_groups_claim) or ()
    if isinstance(groups, str):
        groups = (groups,)
    return Identity(
        issuer=settings.oidc_issuer,
        subject=subject,
        email=email,
        email_verified=claims.get("email_verified") in (True, "true"),
        name=name.strip()[:100],
        groups=tuple(g for g in groups if isinstance(g, str)),
    )


async def finish(
    settings: Settings, cookie: str, params: Mapping[str, str], now: datetime
) -> Identity:
    """The identity behind the provider's answer at the callback, or SsoRejected (400: not
    this browser's sign-in, or it does not check out) or SsoUnavailable (503)."""
    if not cookie:
        raise SsoRejected("state")
    pending = unseal(cookie, settings.secret_key, now)
    # Bytes: compare_digest refuses str with non-ASCII characters, which anyone can send.
    if not hmac.compare_digest(params.get("state", "").encode(), pending.state.encode()):
        raise SsoRejected("state")
    async with _client(settings) as http:
        ends = await _discover(http, settings)
        iss = params.get("iss")
        if (iss is not None or ends.sends_iss) and iss != settings.oidc_issuer:
            raise SsoRejected("iss")
        code = params.get("code", "")
        if "error" in params or not code:
            raise SsoRejected("code")
        try:
            token = await http.fetch_token(ends.token, code=code, code_verifier=pending.verifier)
        except OAuthError as error:
            raise SsoRejected("code") from error
        except (httpx.HTTPError, ValueError) as error:
            raise SsoUnavailable("token") from error
        if not isinstance(token.get("id_token"), str):
            raise SsoRejected("id_token")
        try:
            keys = KeySet.import_key_set(await _json(http, ends.jwks, "jwks"))
        except (JoseError, ValueError, TypeError) as error:
            raise SsoUnavailable("jwks") from error
        claims = _id_token_claims(token["id_token"], keys, settings, pending.nonce, ends.algorithms)
        wanted = ("email", "email_verified", "name", settings.oidc_groups_claim)
        if ends.userinfo and any(c not in claims for c in wanted):
            # Providers may keep claims out of the ID token when an access token is issued
            # (oidc-provider does by default): userinfo fills in what is missing.
            info = await _json(http, ends.userinfo, "userinfo", with_token=True)
            if info.get("sub") != claims["sub"]:
                raise SsoRejected("userinfo")
            claims = {**info, **claims}
    return _identity(claims, settings)
