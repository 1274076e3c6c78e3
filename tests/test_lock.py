"""The lock files pin everything pyproject.toml asks for, with hashes (issue 15 item 1).

Fails when a dependency was added to pyproject.toml without `make lock`.
"""

from __future__ import annotations

import re
import tomllib

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from booking.settings import PROJECT_ROOT

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(name: str) -> dict[str, str]:
    """Package -> version, checking every entry is an exact pin with at least one hash."""
    text = (PROJECT_ROOT / name).read_text()
    entries = re.split(r"\n(?=[A-Za-z0-9])", text[text.index("\n", text.index("uv pip")) :])
    found = {}
    for entry in entries:
        entry = entry.strip()
        if not entry or entry.startswith("#"):
            continue
        match = PIN.match(entry)
        assert match, f"{name}: not an exact pin: {entry.splitlines()[0]}"
        assert "--hash=sha256:" in entry, f"{name}: {match.group(1)} has no hash"
        found[canonicalize_name(match.group(1))] = match.group(2)
    return found


def project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def unmet(requirements: list[str], locked: dict[str, str]) -> list[str]:
    missing = []
    for line in requirements:
        requirement = Requirement(line)
        version = locked.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            missing.append(f"{line} (locked: {version})")
    return missing


def test_runtime_lock_covers_the_dependencies_and_the_build() -> None:
    config = project()
    wanted = config["project"]["dependencies"] + config["dependency-groups"]["build"]
    assert unmet(wanted, pins("requirements.txt")) == [], "run `make lock`"


def test_test_lock_covers_the_test_tools_with_the_same_runtime_versions() -> None:
    config = project()
    runtime, test = pins("requirements.txt"), pins("requirements-test.txt")
    wanted = config["project"]["optional-dependencies"]["test"]
    assert unmet(wanted, test) == [], "run `make lock`"
    assert {name: test.get(name) for name in runtime} == runtime


def make_plan(target: str) -> str:
    """What `make` would run for ``target`` on a fresh clone (-B: as if nothing were built)."""
    import shutil
    import subprocess

    plan = subprocess.run(  # noqa: S603 (make on our own Makefile)
        [shutil.which("make") or "make", "-n", "-B", target],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return plan.stdout


def test_make_run_installs_the_runtime_set_only() -> None:
    plan = make_plan("run")
    assert "--require-hashes --no-deps -r requirements.txt" in plan
    assert "requirements-test.txt" not in plan and "uv" not in plan.split()


def test_make_test_installs_the_locked_test_set() -> None:
    assert "--require-hashes --no-deps -r requirements-test.txt" in make_plan("test")
