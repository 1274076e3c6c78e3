"""`loket create-admin` (README: the first login on a real installation), run as a command."""

import os
import subprocess
import sys

from booking.db.tables import StaffAccount
from booking.settings import PROJECT_ROOT
from tests.staff_login import api_token

PASSWORD = "a long first admin password"


def create_admin(*args: str, password: str = PASSWORD) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own CLI)
        [sys.executable, "-m", "booking.cli", "create-admin", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LOKET_ADMIN_PASSWORD": password},
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_the_first_admin_belongs_to_no_region_and_can_log_in(client, db):
    done = create_admin("first@example.org", "--name", "First Admin")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("admin first@example.org created (account ")
    row = await StaffAccount.select().where(StaffAccount.email == "first@example.org").first()
    assert (row["role"], row["name"], row["region"]) == ("admin", "First Admin", None)
    assert PASSWORD not in str(row.values())  # stored as a hash
    # An admin needs a second factor: the helper enrols it on the pages, then logs in.
    headers = await api_token(client, "first@example.org", PASSWORD)
    assert (await client.get("/api/staff/messages", headers=headers)).status_code == 200
    assert await StaffAccount.count() == 1


async def test_a_second_admin_with_the_same_address_is_refused_in_a_sentence(db):
    assert create_admin("first@example.org").returncode == 0
    again = create_admin("first@example.org", "--name", "Someone Else")
    assert again.returncode == 1
    assert (
        again.stderr.strip() == "A login for first@example.org exists already; nothing was changed."
    )
    rows = await StaffAccount.select(StaffAccount.name)
    assert [r["name"] for r in rows] == ["Admin"]


async def test_a_short_password_is_refused_in_a_sentence_with_exit_code_2(db):
    short = create_admin("first@example.org", password="short")
    assert short.returncode == 2, short.stderr
    assert short.stderr.strip().startswith("Please choose a password of at least ")
    assert "Traceback" not in short.stderr
    assert await StaffAccount.count() == 0
