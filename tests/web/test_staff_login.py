"""Logins that hold: lock-out a correct second factor lifts, per-address throttling, idle
sessions, CSRF tokens bound to the session, and the TOTP second factor with its recovery
codes (issue 10, items 1 and 2). The crowd at one account: tests/web/test_login_race.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pyotp
import pytest

from booking.db.tables import AuditEntry, RecoveryCode, StaffAccount, StaffSession
from booking.domain.policy import Policy
from booking.sealing import Unsealable, unseal
from booking.services.auth import factors, lockout, login, passwords
from booking.services.auth.accounts import create_account
from booking.settings import get_settings
from tests import factories
from tests.staff_login import (
    CSRF,
    FACTORS,
    PASSWORD,
    RECOVERY,
    SECRET,
    code_step,
    csrf,
    log_in,
    password_step,
)

POLICY = Policy.from_settings(get_settings())
COORDINATOR = "monique@example.nl"
CONSULTANT = "agnieszka@example.nl"


@pytest.fixture
async def people(db):
    region = await factories.region("noordoost-brabant")
    return {
        "coordinator": await create_account(
            email=COORDINATOR, name="Monique", password=PASSWORD, role="coordinator",
            region_id=region,
        ),
        "consultant": await create_account(
            email=CONSULTANT, name="Agnieszka", password=PASSWORD, role="consultant",
            region_id=region,
        ),
    }  # fmt: skip


async def account_row(account_id: int) -> dict:
    return await StaffAccount.select().where(StaffAccount.id == account_id).first()


async def test_a_coordinator_enrols_on_first_login_and_then_needs_a_code(client, people, clock):
    first = await password_step(client, COORDINATOR, PASSWORD)
    assert first.headers["location"].startswith("/staff/login/factor")
    # Half logged in: no staff page yet, the code page neither (no factor yet).
    assert (await client.get("/staff/")).status_code == 302
    assert (await client.get("/staff/login/code")).headers["location"] == "/staff/login"
    setup = await client.get("/staff/login/factor")
    assert setup.status_code == 200 and "<svg" in setup.text
    secret = SECRET.search(setup.text).group(1)
    token = CSRF.search(setup.text).group(1)
    wrong = await client.post(
        "/staff/login/factor", data={"_csrf_token": token, "code": "000000", "next": "/staff/"}
    )
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    shown = await client.post(
        "/staff/login/factor",
        data={"_csrf_token": token, "code": pyotp.TOTP(secret).at(clock.now), "next": "/staff/"},
    )
    codes = RECOVERY.findall(shown.text)
    assert shown.status_code == 200 and len(set(codes)) == 10
    assert shown.headers["cache-control"] == "no-store"
    assert (await client.get("/staff/")).status_code == 200
    stored = await RecoveryCode.select(RecoveryCode.code_hash)
    assert len(stored) == 10 and not {c for c in codes} & {r["code_hash"] for r in stored}

    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    again = await password_step(client, COORDINATOR, PASSWORD)
    assert again.headers["location"].startswith("/staff/login/code")
    assert (await client.get("/staff/")).status_code == 302
    replayed = await code_step(client, pyotp.TOTP(secret).at(clock.now))
    assert replayed.status_code == 401 and 'role="alert"' in replayed.text
    clock.now += timedelta(seconds=30)
    done = await code_step(client, pyotp.TOTP(secret).at(clock.now))
    assert (done.status_code, done.headers["location"]) == (303, "/staff/")
    assert (await client.get("/staff/")).status_code == 200


async def test_a_recovery_code_logs_in_once(client, people, clock):
    await log_in(client, COORDINATOR)
    code = FACTORS[COORDINATOR].recovery[0]
    for attempt in ("first", "second"):
        await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
        await password_step(client, COORDINATOR, PASSWORD)
        answer = await code_step(client, code.upper().replace("-", " "))
        assert answer.status_code == (303 if attempt == "first" else 401), attempt
    used = await RecoveryCode.count().where(RecoveryCode.used_at.is_not_null())
    assert used == 2  # the one above and the one the helper's second login spent


async def test_the_secret_at_rest_is_sealed_to_its_account_and_the_key(client, people):
    await log_in(client, COORDINATOR)
    secret = FACTORS[COORDINATOR].secret
    row = await account_row(people["coordinator"])
    assert secret not in row["factor_secret"] and row["factor_enrolled_at"] is not None
    belongs = f"account:{people['coordinator']}"
    assert unseal(POLICY.secret, "totp", belongs, row["factor_secret"]) == secret
    with pytest.raises(Unsealable):
        unseal(b"another installation's key", "totp", belongs, row["factor_secret"])
    with pytest.raises(Unsealable):  # copied onto another login, it does not open
        unseal(POLICY.secret, "totp", f"account:{people['consultant']}", row["factor_secret"])


async def test_a_locked_account_opens_with_password_and_code_only(client, people, clock):
    await log_in(client, COORDINATOR)
    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    for _ in range(lockout.MAX_FAILURES):
        assert (await password_step(client, COORDINATOR, "wrong password!")).status_code == 401
    assert (await account_row(people["coordinator"]))["locked_until"] > clock.now
    await password_step(client, COORDINATOR, PASSWORD)
    clock.now += timedelta(seconds=30)
    done = await code_step(client, pyotp.TOTP(FACTORS[COORDINATOR].secret).at(clock.now))
    assert done.status_code == 303
    assert (await account_row(people["coordinator"]))["locked_until"] is None


async def test_a_locked_consultant_without_a_factor_waits(client, people, clock):
    for _ in range(lockout.MAX_FAILURES):
        await password_step(client, CONSULTANT, "wrong password!")
    assert (await password_step(client, CONSULTANT, PASSWORD)).status_code == 401
    clock.now += lockout.LOCK_FOR + timedelta(seconds=1)
    assert (await password_step(client, CONSULTANT, PASSWORD)).status_code == 303


async def test_wrong_codes_end_the_half_open_session(client, people, clock):
    await log_in(client, COORDINATOR)
    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    await password_step(client, COORDINATOR, PASSWORD)
    for _ in range(4):
        assert (await code_step(client, "123456")).status_code == 401
    last = await client.post(
        "/staff/login/code", data={"_csrf_token": await csrf(client), "code": "123456"}
    )
    assert last.headers["location"] == "/staff/login"
    assert await StaffSession.count().where(StaffSession.stage == "code") == 0


async def test_an_address_with_many_failures_hears_429_in_its_language(client, people):
    for n in range(lockout.ADDRESS_FAILURES):
        await password_step(client, f"nobody{n}@example.nl", "wrong password!")
    client.cookies.delete("lang")
    form = await client.get("/staff/login", headers={"accept-language": "pl"})
    refused = await client.post(
        "/staff/login",
        headers={"accept-language": "pl"},
        data={
            "_csrf_token": CSRF.search(form.text).group(1),
            "email": CONSULTANT,
            "password": PASSWORD,
        },
    )
    assert refused.status_code == 429 and 0 < int(refused.headers["retry-after"]) <= 900
    assert "Zbyt wiele prób logowania" in refused.text
    api = await client.post("/api/staff/login", json={"email": CONSULTANT, "password": PASSWORD})
    assert (api.status_code, api.json()["code"]) == (429, "too_many_logins")


async def test_the_api_asks_for_the_code_where_there_is_a_factor(client, people, clock):
    body = {"email": COORDINATOR, "password": PASSWORD}
    setup = await client.post("/api/staff/login", json=body)
    assert (setup.status_code, setup.json()["code"]) == (422, "factor_setup_needed")
    await log_in(client, COORDINATOR)
    needed = await client.post("/api/staff/login", json=body)
    assert (needed.status_code, needed.json()["code"]) == (422, "code_needed")
    clock.now += timedelta(seconds=60)
    code = pyotp.TOTP(FACTORS[COORDINATOR].secret).at(clock.now)
    ok = await client.post("/api/staff/login", json={**body, "code": code})
    assert ok.status_code == 200, ok.text
    replay = await client.post("/api/staff/login", json={**body, "code": code})
    assert replay.json()["code"] == "login_failed"
    consultant = await client.post(
        "/api/staff/login", json={"email": CONSULTANT, "password": PASSWORD}
    )
    assert consultant.status_code == 200


async def test_factor_for_all_requires_one_of_consultants_too(client, people, clock):
    _, stage, _ = await login.check_password(
        POLICY, CONSULTANT, PASSWORD, clock.now, address=None, factor_for_all=True
    )
    assert stage == "setup"
    assert factors.required("consultant", for_all=False) is False


async def test_an_idle_session_ends(client, people, clock):
    await log_in(client, CONSULTANT)
    clock.now += timedelta(minutes=25)
    assert (await client.get("/staff/")).status_code == 200
    clock.now += timedelta(minutes=25)
    assert (await client.get("/staff/")).status_code == 200  # used 25 minutes ago
    clock.now += timedelta(minutes=get_settings().staff_idle_minutes, seconds=1)
    assert (await client.get("/staff/")).status_code == 302


async def test_csrf_tokens_are_bound_to_the_session(client, people):
    await log_in(client, CONSULTANT)
    mine = await csrf(client, "/staff/")
    await client.post("/staff/logout", data={"_csrf_token": mine})
    await log_in(client, CONSULTANT)
    stale = await client.post("/staff/logout", data={"_csrf_token": mine})
    assert stale.status_code == 403
    assert (await client.get("/staff/")).status_code == 200  # still logged in
    fresh = await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    assert fresh.status_code == 303


async def test_a_coordinator_unlocks_and_resets_a_consultants_factor(client, people, clock):
    await log_in(client, CONSULTANT)
    page = await client.get("/staff/login/factor")
    secret = SECRET.search(page.text).group(1)
    await client.post(
        "/staff/login/factor",
        data={
            "_csrf_token": CSRF.search(page.text).group(1),
            "code": pyotp.TOTP(secret).at(clock.now),
        },
    )
    assert (await account_row(people["consultant"]))["factor_enrolled_at"] is not None
    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    for _ in range(lockout.MAX_FAILURES):
        await password_step(client, CONSULTANT, "wrong password!")

    await log_in(client, COORDINATOR)
    token = await csrf(client, "/staff/admin/accounts")
    consultant = people["consultant"]
    unlocked = await client.post(
        f"/staff/admin/accounts/{consultant}/unlock", data={"_csrf_token": token}
    )
    reset = await client.post(
        f"/staff/admin/accounts/{consultant}/reset-factor", data={"_csrf_token": token}
    )
    assert (unlocked.status_code, reset.status_code) == (303, 303)
    row = await account_row(consultant)
    assert row["locked_until"] is None and row["factor_secret"] == ""
    assert await RecoveryCode.count().where(RecoveryCode.account == consultant) == 0
    actions = {r["action"] for r in await AuditEntry.select(AuditEntry.action, AuditEntry.subject)}
    assert {"unlocked_login", "reset_factor"} <= actions


async def test_a_password_check_leaves_the_event_loop_free():
    """argon2 runs in the password pool: the loop keeps turning while a check is under way."""
    check = asyncio.ensure_future(passwords.verify(passwords.DUMMY_HASH, "a guess at it"))
    turns = 0
    while not check.done():
        await asyncio.sleep(0)
        turns += 1
    assert turns > 1 and await check is False
