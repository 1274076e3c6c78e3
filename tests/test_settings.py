"""Settings as README's configuration table states them (issue 11): every variable listed is
read and every one read is listed; the checks README names stop start-up with a sentence."""

import re
from pathlib import Path

import pytest

from booking.app import create_app
from booking.domain.policy import Policy
from booking.settings import DEVELOPMENT_KEY, Settings, SettingsError, refuse_unsafe_production

ROOT = Path(__file__).parents[1]


def readme_variables() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") : readme.index("## API")]
    return {
        name
        for line in table.splitlines()
        if line.startswith("| `")
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split(" | ")[0])
    }


def variables_read() -> set[str]:
    source = "".join(
        path.read_text(encoding="utf-8") for path in (ROOT / "booking" / "settings").glob("*.py")
    )
    return set(re.findall(r'(?:env\.get\(|env, )"([A-Z][A-Z0-9_]+)"', source))


def test_readme_lists_every_setting_and_only_those():
    listed, read = readme_variables(), variables_read()
    assert len(read) > 40, read  # the pattern still finds them
    assert sorted(read - listed) == [], "README's configuration table lacks these"
    assert sorted(listed - read) == [], "README lists settings Loket does not read"


@pytest.mark.parametrize("grid", ["5", "10", "15", "20", "30", "60"])
def test_a_grid_that_divides_60_is_taken(grid):
    assert Settings.from_env({"LOKET_SLOT_GRID_MINUTES": grid}).slot_grid_minutes == int(grid)


@pytest.mark.parametrize("grid", ["7", "25", "45", "90", "0", "quarter"])
def test_a_grid_that_does_not_divide_60_stops_start_up(grid):
    with pytest.raises(SettingsError, match="LOKET_SLOT_GRID_MINUTES"):
        Settings.from_env({"LOKET_SLOT_GRID_MINUTES": grid})


@pytest.mark.parametrize(
    "url", ["http://meet.example/", "meet.jit.si/", "ftp://meet.example/", "javascript:alert(1)"]
)
def test_the_video_address_must_be_https(url):
    with pytest.raises(SettingsError, match="LOKET_VIDEO_BASE_URL must be an https:// URL"):
        Settings.from_env({"LOKET_VIDEO_BASE_URL": url})
    assert Settings.from_env({}).video_base_url == "https://meet.jit.si/"


def test_the_secret_key_keys_every_hash():
    """Without LOKET_SECRET_KEY the fixed development key is used; with it, the same code or
    number hashes differently, so hashes from one installation mean nothing to another."""
    default = Settings.from_env({})
    assert default.secret_key == DEVELOPMENT_KEY
    ours = Policy.from_settings(Settings.from_env({"LOKET_SECRET_KEY": "x" * 48}))
    theirs = Policy.from_settings(Settings.from_env({"LOKET_SECRET_KEY": "y" * 48}))
    development = Policy.from_settings(default)
    for parts in (("sms-opt-out", "+48601234567"), ("code", "123456")):
        hashes = {p.keyed_hash(*parts) for p in (ours, theirs, development)}
        assert len(hashes) == 3
        assert all("601234567" not in h and "123456" not in h for h in hashes)


HTTPS = {"PUBLIC_BASE_URL": "https://loket.example.nl"}
GOOD_KEY = {"LOKET_SECRET_KEY": "k" * 32}


@pytest.mark.parametrize(
    "env",
    [HTTPS, {"LOKET_ENV": "production"}, {**HTTPS, "LOKET_SECRET_KEY": DEVELOPMENT_KEY},
     {"LOKET_ENV": "production", "LOKET_SECRET_KEY": "k" * 31}],
)  # fmt: skip
def test_production_without_a_real_secret_key_stops_the_app_factory(env):
    settings = Settings.from_env(env)
    assert settings.production
    with pytest.raises(SettingsError, match=r"^LOKET_SECRET_KEY must be set") as refused:
        create_app(settings)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("env", [{}, {"LOKET_ENV": "development"}, HTTPS | GOOD_KEY,
                                 {"LOKET_ENV": "production"} | GOOD_KEY])  # fmt: skip
def test_development_or_a_real_key_starts(env):
    settings = Settings.from_env(env)
    refuse_unsafe_production(settings)
    assert create_app(settings) is not None
    assert settings.production == (env not in ({}, {"LOKET_ENV": "development"}))


def test_production_refuses_the_development_pages():
    settings = Settings.from_env({"LOKET_ENV": "production", "LOKET_DEV_PAGES": "on"} | GOOD_KEY)
    with pytest.raises(SettingsError, match=r"^LOKET_DEV_PAGES must be off when") as refused:
        create_app(settings)
    assert "\n" not in str(refused.value)
    refuse_unsafe_production(Settings.from_env({"LOKET_DEV_PAGES": "on"}))  # development


def test_loket_env_is_development_or_production():
    with pytest.raises(SettingsError, match="LOKET_ENV must be development or production"):
        Settings.from_env({"LOKET_ENV": "staging"})
    assert "k" * 32 not in repr(Settings.from_env(GOOD_KEY))  # no key in tracebacks


def test_a_read_replica_is_a_postgresql_one_beside_a_postgresql_primary():
    primary = "postgres://loket@db:5432/loket"
    replica = "postgres://loket@replica:5432/loket"
    both = {"DATABASE_URL": primary, "DATABASE_REPLICA_URL": replica}
    assert Settings.from_env(both).database_replica_url == replica
    assert Settings.from_env({"DATABASE_URL": primary}).database_replica_url == ""
    assert replica not in repr(Settings.from_env(both))  # it may hold a password
    with pytest.raises(SettingsError, match="DATABASE_REPLICA_URL"):
        Settings.from_env({**both, "DATABASE_REPLICA_URL": "sqlite:///var/copy.sqlite"})
    with pytest.raises(SettingsError, match="DATABASE_REPLICA_URL"):
        Settings.from_env({"DATABASE_REPLICA_URL": replica})  # SQLite primary
