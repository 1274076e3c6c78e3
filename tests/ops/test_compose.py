"""compose.yaml, read as Docker Compose would (Docker does not run here): the production
shape, its health checks and volumes, and the same commands, settings and proxy
configuration as scripts/stack and the Dockerfile (issue 15 item 2)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from booking.settings import PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
TEMPLATE = PROJECT_ROOT / "deploy" / "nginx-loket.conf.template"
STACK = (PROJECT_ROOT / "scripts" / "stack").read_text()
#: Variables that are not Loket's settings but the servers' own.
OTHERS = {"FORWARDED_ALLOW_IPS", "POSTGRES_DB", "POSTGRES_USER", "POSTGRES_PASSWORD"}


def test_the_shape_postgres_migrate_once_two_webs_one_worker_a_proxy() -> None:
    assert SERVICES["db"]["image"].startswith("postgres:")
    migrate = SERVICES["migrate"]
    assert migrate["command"] == ["loket", "migrate"] and migrate["restart"] == "no"
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    for name in ("web1", "web2"):
        web = SERVICES[name]
        assert web["command"] == ["loket", "serve"]
        assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert web["environment"]["LOKET_IN_PROCESS_WORKER"] == "off"
        assert web["environment"]["WEB_CONCURRENCY"] == "1"
    worker = SERVICES["worker"]
    assert worker["command"] == ["loket", "worker"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    proxy = SERVICES["proxy"]
    assert {"web1", "web2"} == set(proxy["depends_on"])
    assert all(d["condition"] == "service_healthy" for d in proxy["depends_on"].values())


def test_every_long_running_service_has_a_health_check_on_the_right_port() -> None:
    for name in ("db", "web1", "web2", "worker", "proxy"):
        check = SERVICES[name]["healthcheck"]
        assert check["test"] and check["interval"] and check["retries"], name
    for name in ("web1", "web2"):
        port = SERVICES[name]["environment"]["PORT"]
        assert f"127.0.0.1:{port}/ready" in " ".join(SERVICES[name]["healthcheck"]["test"])
    metrics_port = SERVICES["worker"]["environment"]["LOKET_METRICS_PORT"]
    assert f"127.0.0.1:{metrics_port}/health" in " ".join(SERVICES["worker"]["healthcheck"]["test"])
    assert "/ready" in " ".join(SERVICES["proxy"]["healthcheck"]["test"])


def test_volumes_keep_the_database_and_the_backups() -> None:
    declared = set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    for service in SERVICES.values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                assert source in declared, source
            else:
                assert (PROJECT_ROOT / source).exists(), source
    assert SERVICES["backup"]["command"][-1].startswith("loket backup /backups/")
    assert "backups:/backups" in SERVICES["backup"]["volumes"]


def test_every_setting_named_is_one_loket_knows() -> None:
    documented = set(re.findall(r"``([A-Z][A-Z0-9_]+)``", Settings.__doc__ or ""))
    for name, service in SERVICES.items():
        for variable in service.get("environment", {}):
            if name == "proxy" or variable in OTHERS:
                continue
            assert variable in documented, f"{name}: {variable} is no setting"


def test_the_proxy_gets_every_placeholder_and_points_at_the_webs() -> None:
    placeholders = set(re.findall(r"\$\{(LOKET_\w+)\}", TEMPLATE.read_text()))
    environment = SERVICES["proxy"]["environment"]
    assert placeholders == set(environment)
    webs = {environment["LOKET_WEB_1"], environment["LOKET_WEB_2"]}
    assert webs == {f"{n}:{SERVICES[n]['environment']['PORT']}" for n in ("web1", "web2")}
    published = SERVICES["proxy"]["ports"][0].rsplit(":", 1)[1]
    assert published == environment["LOKET_LISTEN"]


def test_the_local_stack_runs_the_same_commands_and_proxy() -> None:
    for command in ("migrate", "serve", "worker"):
        assert re.search(rf'"\$\{{loket\[@\]\}}" {command}\b', STACK), command
    assert "deploy/nginx-loket.conf.template" in STACK
    assert "LOKET_IN_PROCESS_WORKER=off" in STACK
    assert "LOKET_METRICS_PORT=" in STACK
    for placeholder in re.findall(r"\$\{(LOKET_\w+)\}", TEMPLATE.read_text()):
        assert f"{placeholder}=" in STACK, placeholder


def test_the_image_installs_the_locked_runtime_set() -> None:
    dockerfile = (PROJECT_ROOT / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements.txt" in dockerfile
    assert "postgresql-client" in dockerfile  # pg_dump for `loket backup`


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is missing: `make install`")
def test_nginx_accepts_the_proxy_configuration(tmp_path) -> None:
    filled = re.sub(
        r"\$\{(LOKET_\w+)\}",
        lambda m: {"LOKET_LISTEN": "127.0.0.1:1"}.get(m[1], "127.0.0.1:2"),
        TEMPLATE.read_text(),
    )
    (tmp_path / "loket.conf").write_text(filled)
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ include {tmp_path}/loket.conf; }}\n"
    )
    checked = subprocess.run(  # noqa: S603 (nginx -t on our own file)
        [
            shutil.which("nginx") or "nginx",
            "-t",
            "-c",
            str(conf),
            "-e",
            str(tmp_path / "error.log"),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
