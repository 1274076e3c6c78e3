"""Single sign-on against a real OpenID Connect provider (tests/local_oidc.py) on loopback:
accounts found, linked and created, the role map, and every refusal and tampering."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from booking.app import create_app
from booking.db.tables import StaffAccount, StaffIdentity
from booking.domain.policy import Policy
from booking.services.auth import login
from booking.services.auth.accounts import create_account
from booking.services.auth.oidc import state
from booking.settings import Settings, SettingsError, get_settings
from booking.web.staff.auth import SESSION_COOKIE
from tests import factories
from tests.local_oidc import oidc_provider, sign_in_at_provider
from tests.local_smtp import free_port
from tests.log_scan import log_dir
from tests.staff_login import PASSWORD, log_in

POLICY = Policy.from_settings(get_settings())

LOKET = "http://loket.test"


@pytest.fixture(scope="module")
def provider():
    log = log_dir() / f"oidc-provider-{os.getpid()}.log"
    with oidc_provider([f"{LOKET}/staff/sso/callback"], log) as running:
        yield running


def sso_settings(provider, **overrides: str) -> Settings:
    return Settings.from_env({**os.environ, **provider.env(**overrides), "PUBLIC_BASE_URL": LOKET})


@pytest.fixture
async def regions(db):
    return {
        "noordoost-brabant": await factories.region("noordoost-brabant"),
        "west-brabant": await factories.region("west-brabant"),
    }


@pytest.fixture
async def sso(regions, provider, clock):
    app = create_app(sso_settings(provider), clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=LOKET) as http:
        yield http


async def authorize_url(client) -> str:
    started = await client.get("/staff/sso/login")
    assert started.status_code == 302, started.text
    assert state.COOKIE in started.cookies
    return started.headers["location"]


def local(url: str) -> str:
    """The path and query of Loket's callback URL, for the in-process client."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


async def provider_answer(client, username: str) -> str:
    return local(await sign_in_at_provider(await authorize_url(client), username))


async def sign_in(client, username: str):
    return await client.get(await provider_answer(client, username))


def with_param(callback: str, **changes: str | None) -> str:
    path, _, query = callback.partition("?")
    params = {k: v[0] for k, v in parse_qs(query).items()}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return f"{path}?{urlencode(params)}"


async def account_named(email: str) -> dict | None:
    return await StaffAccount.select().where(StaffAccount.email == email).first()


async def test_the_login_page_offers_single_sign_on_only_when_configured(sso, client):
    assert "Sign in with Provincie Test-ID" in (await sso.get("/staff/login")).text
    assert "/staff/sso/login" not in (await client.get("/staff/login")).text


async def test_without_a_provider_both_routes_are_404(client):
    assert (await client.get("/staff/sso/login")).status_code == 404
    assert (await client.get("/staff/sso/callback?code=x&state=y")).status_code == 404


async def test_the_authorization_request_uses_pkce_s256_a_nonce_and_a_state(sso, provider):
    query = parse_qs(urlsplit(await authorize_url(sso)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"][0] and query["state"][0]
    assert query["client_id"] == ["loket"]
    assert query["scope"] == ["openid email profile groups"]
    assert query["redirect_uri"] == [f"{LOKET}/staff/sso/callback"]
    cookie = sso.cookies[state.COOKIE]
    assert not cookie.endswith("=") and '"' not in cookie


async def test_a_first_sign_in_creates_a_login_without_a_password(sso, provider, regions, clock):
    response = await sign_in(sso, "ewa")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/staff/"
    assert state.COOKIE not in sso.cookies
    assert (await sso.get("/staff/")).status_code == 200
    ewa = await account_named("ewa@veghel.example")
    assert (ewa["name"], ewa["role"]) == ("Ewa Kowalska", "consultant")
    assert ewa["region"] == regions["noordoost-brabant"]
    identity = await StaffIdentity.select().first()
    assert (identity["issuer"], identity["subject"]) == (provider.issuer, "ewa")
    assert identity["account"] == ewa["id"]
    assert ewa["password_hash"].startswith("$argon2id$")
    for guess in ("", PASSWORD, "provider test password"):
        with pytest.raises(login.LoginFailed):
            await login.log_in(POLICY, "ewa@veghel.example", guess, clock())


async def test_a_second_sign_in_finds_the_login_by_subject_and_resets_role_and_region(sso, regions):
    await sign_in(sso, "ewa")
    ewa = await account_named("ewa@veghel.example")
    await StaffAccount.update(
        {
            StaffAccount.role: "coordinator",
            StaffAccount.region: regions["west-brabant"],
            StaffAccount.email: "renamed@veghel.example",
        }
    ).where(StaffAccount.id == ewa["id"])
    sso.cookies.clear()
    assert (await sign_in(sso, "ewa")).status_code == 303
    again = await StaffAccount.select().where(StaffAccount.id == ewa["id"]).first()
    assert (again["role"], again["region"]) == ("consultant", regions["noordoost-brabant"])
    assert await StaffAccount.count() == 1
    assert await StaffIdentity.count() == 1


async def test_a_first_sign_in_links_a_password_login_by_verified_email(sso, regions):
    existing = await create_account(
        email="coordinator@loket.example",
        name="Monique",
        password=PASSWORD,
        role="consultant",
        region_id=regions["west-brabant"],
    )
    assert (await sign_in(sso, "monique")).status_code == 303
    monique = await account_named("coordinator@loket.example")
    assert monique["id"] == existing
    # Her groups map to consultant and coordinator of one region: the strongest wins.
    assert (monique["role"], monique["region"]) == ("coordinator", regions["noordoost-brabant"])
    assert (await StaffIdentity.select(StaffIdentity.account).first())["account"] == existing
    assert (await sso.get("/staff/admin/")).status_code == 200
    sso.cookies.clear()
    assert (await log_in(sso, "coordinator@loket.example")).status_code == 303


async def test_the_admin_group_gives_an_admin_without_a_region(sso):
    assert (await sign_in(sso, "root")).status_code == 303
    root = await account_named("root@provincie.example")
    assert (root["role"], root["region"]) == ("admin", None)


async def test_control_characters_and_a_single_group_string_are_taken_in_stride(sso):
    """Odd's name holds NUL and BEL (PostgreSQL refuses NUL), the address capitals, and the
    groups claim is one string instead of a list."""
    assert (await sign_in(sso, "odd")).status_code == 303
    odd = await account_named("odd@provincie.example")
    assert (odd["name"], odd["role"]) == ("Odd Name", "admin")


@pytest.mark.parametrize(
    ("username", "says"),
    [
        ("nobody", "does not give access to Loket"),
        ("split", "more than one region"),
        ("ghost", "a region Loket does not know"),
    ],
)
async def test_groups_that_map_to_no_role_two_regions_or_an_unknown_region_are_refused(
    sso, username, says
):
    response = await sign_in(sso, username)
    assert response.status_code == 403, response.text
    assert says in response.text
    assert "Provincie Test-ID" in response.text
    assert SESSION_COOKIE not in response.cookies
    assert await StaffAccount.count() == 0
    assert await StaffIdentity.count() == 0


async def test_an_unverified_email_does_not_take_over_the_login_with_that_address(sso, regions):
    existing = await create_account(
        email="agnieszka@example.nl",
        name="Agnieszka",
        password=PASSWORD,
        role="consultant",
        region_id=regions["noordoost-brabant"],
    )
    response = await sign_in(sso, "unverified")
    assert response.status_code == 403
    assert "did not confirm your e-mail address" in response.text
    assert await StaffIdentity.count() == 0
    assert (await account_named("agnieszka@example.nl"))["id"] == existing


async def test_a_deactivated_login_is_refused(sso):
    await sign_in(sso, "ewa")
    await StaffAccount.update({StaffAccount.active: False}).where(StaffAccount.id > 0)
    sso.cookies.clear()
    assert (await sign_in(sso, "ewa")).status_code == 403


async def test_the_refusal_is_in_the_users_language(sso):
    sso.cookies.set("lang", "nl")
    response = await sign_in(sso, "nobody")
    assert response.status_code == 403
    assert "geeft geen toegang tot Loket" in response.text
    assert '<html lang="nl">' in response.text


async def test_a_changed_state_is_rejected(sso):
    callback = await provider_answer(sso, "ewa")
    sealed = sso.cookies[state.COOKIE]
    for other in ("someone-elses-state", "état-étranger"):
        response = await sso.get(with_param(callback, state=other))
        assert response.status_code == 400, other
        sso.cookies.set(state.COOKIE, sealed, domain="loket.test", path="/staff/sso")
    assert await StaffAccount.count() == 0


async def test_a_callback_in_another_browser_is_rejected(sso, provider, clock):
    callback = await provider_answer(sso, "ewa")
    sso.cookies.clear()
    assert (await sso.get(callback)).status_code == 400
    assert await StaffAccount.count() == 0


async def test_a_state_cookie_with_a_changed_signature_or_payload_is_rejected(sso):
    callback = await provider_answer(sso, "ewa")
    sealed = sso.cookies[state.COOKIE]
    payload, _, signature = sealed.partition(".")
    for forged in (f"{payload}.{signature[:-2]}AA", f"{payload[:-2]}AA.{signature}", ""):
        sso.cookies.set(state.COOKIE, forged, domain="loket.test", path="/staff/sso")
        assert (await sso.get(callback)).status_code == 400
    sso.cookies.clear()
    # Not ASCII (hmac.compare_digest refuses such a str): sent raw, as any client can.
    raw = f"{state.COOKIE}={payload}.sïgnätürë".encode("latin-1")
    assert (await sso.get(callback, headers={"cookie": raw})).status_code == 400
    assert await StaffAccount.count() == 0


async def test_a_state_cookie_older_than_ten_minutes_is_rejected(sso, clock):
    callback = await provider_answer(sso, "ewa")
    clock.now += state.LIFETIME + timedelta(seconds=1)
    response = await sso.get(callback)
    assert response.status_code == 400
    assert "start again" in response.text


def reseal(client, settings: Settings, clock, **changes: str) -> None:
    """The state cookie re-signed with Loket's key: only what the test changes differs."""
    pending = state.unseal(client.cookies[state.COOKIE], settings.secret_key, clock())
    values = {
        "state": pending.state,
        "nonce": pending.nonce,
        "verifier": pending.verifier,
        "expires_at": pending.expires_at,
        **changes,
    }
    changed = state.Pending(**values)
    client.cookies.set(
        state.COOKIE,
        state.seal(changed, settings.secret_key),
        domain="loket.test",
        path="/staff/sso",
    )


async def test_an_id_token_for_another_nonce_is_rejected(sso, provider, clock):
    callback = await provider_answer(sso, "ewa")
    reseal(sso, sso_settings(provider), clock, nonce="another-sign-ins-nonce")
    assert (await sso.get(callback)).status_code == 400
    assert await StaffAccount.count() == 0


async def test_a_code_with_another_pkce_verifier_is_rejected(sso, provider, clock):
    callback = await provider_answer(sso, "ewa")
    reseal(sso, sso_settings(provider), clock, verifier="v" * 64)
    assert (await sso.get(callback)).status_code == 400
    assert await StaffAccount.count() == 0


async def test_an_answer_from_another_issuer_or_without_one_is_rejected(sso):
    """RFC 9207: the provider names itself in the answer; a mix-up attack names another."""
    callback = await provider_answer(sso, "ewa")
    sealed = sso.cookies[state.COOKIE]
    for iss in ("https://evil.example", None):
        response = await sso.get(with_param(callback, iss=iss))
        assert response.status_code == 400, iss
        # A refusal ends the sign-in (its cookie is deleted): put it back for the next try.
        assert state.COOKIE not in sso.cookies
        sso.cookies.set(state.COOKIE, sealed, domain="loket.test", path="/staff/sso")
    assert (await sso.get(callback)).status_code == 303


async def test_a_code_is_good_once(sso):
    callback = await provider_answer(sso, "ewa")
    sealed = sso.cookies[state.COOKIE]
    assert (await sso.get(callback)).status_code == 303
    sso.cookies.set(state.COOKIE, sealed, domain="loket.test", path="/staff/sso")
    assert (await sso.get(callback)).status_code == 400


async def test_an_error_from_the_provider_is_rejected(sso, provider):
    query = parse_qs(urlsplit(await authorize_url(sso)).query)
    callback = "/staff/sso/callback?" + urlencode(
        {"error": "access_denied", "state": query["state"][0], "iss": provider.issuer}
    )
    assert (await sso.get(callback)).status_code == 400


async def test_a_discovery_document_naming_another_issuer_is_refused(regions, provider, clock):
    # The provider names itself without the trailing slash: not exactly the issuer configured.
    settings = sso_settings(provider, LOKET_OIDC_ISSUER=f"{provider.issuer}/")
    app = create_app(settings, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=LOKET) as http:
        response = await http.get("/staff/sso/login")
    assert response.status_code == 503
    assert "not possible right now" in response.text


async def test_an_unreachable_provider_is_503_not_500(regions, provider, clock):
    settings = sso_settings(provider, LOKET_OIDC_ISSUER=f"http://127.0.0.1:{free_port()}")
    app = create_app(settings, clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=LOKET) as http:
        assert (await http.get("/staff/sso/login")).status_code == 503


GOOD = {
    "LOKET_OIDC_ISSUER": "https://login.gemeente.example/realms/loket",
    "LOKET_OIDC_CLIENT_ID": "loket",
    "LOKET_OIDC_ROLE_MAP": json.dumps({"staff": "consultant@noordoost-brabant", "it": "admin"}),
}


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        ({"LOKET_OIDC_ISSUER": "http://login.gemeente.example"}, "https://"),
        ({"LOKET_OIDC_ISSUER": "login.gemeente.example"}, "https://"),
        ({"LOKET_OIDC_CLIENT_ID": ""}, "LOKET_OIDC_CLIENT_ID"),
        ({"LOKET_OIDC_ISSUER": ""}, "LOKET_OIDC_ISSUER is not"),
        ({"LOKET_OIDC_SCOPES": "email profile"}, "openid"),
        ({"LOKET_OIDC_ROLE_MAP": "{not json"}, "JSON"),
        ({"LOKET_OIDC_ROLE_MAP": '{"staff": "boss@noordoost-brabant"}'}, "'boss@"),
        ({"LOKET_OIDC_ROLE_MAP": '{"staff": "consultant"}'}, "consultant@region-code"),
        ({"LOKET_OIDC_ROLE_MAP": '{"staff": "admin@west-brabant"}'}, "admin"),
        ({"LOKET_OIDC_ROLE_MAP": "{}"}, "nobody could sign in"),
        ({"LOKET_OIDC_ISSUER": "https://login.example/" + "x" * 250}, "https://"),
    ],
)
def test_settings_refuse_single_sign_on_that_could_not_be_safe(changes, names):
    with pytest.raises(SettingsError, match=names):
        Settings.from_env({**GOOD, **changes})


def test_settings_take_https_or_loopback_issuers():
    settings = Settings.from_env(GOOD)
    assert settings.oidc_role_map == {
        "staff": ("consultant", "noordoost-brabant"),
        "it": ("admin", None),
    }
    assert settings.oidc_scopes == ("openid", "email", "profile")
    assert settings.oidc_name == "login.gemeente.example"
    for issuer in ("http://127.0.0.1:9000", "http://localhost:9000", "http://[::1]:9000"):
        assert Settings.from_env({**GOOD, "LOKET_OIDC_ISSUER": issuer}).oidc_issuer == issuer
    assert Settings.from_env({}).oidc_issuer == ""
