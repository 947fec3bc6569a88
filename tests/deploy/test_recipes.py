"""The example process definitions run the deployment guide's commands, word for word: the Dockerfile
installs as the guide does and serves as it does; the Procfile, the systemd units and ``compose.yaml``
migrate, serve and run the worker with the guide's commands. ``compose.yaml`` is valid for Compose
(``docker-compose config``) and the nginx settings for nginx (``nginx -t``) where Debian's docker-compose
and nginx are installed."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deployment.md"
DEPLOY = ROOT / "docs" / "deploy"
MIGRATE = ".venv/bin/flask --app wsgi deploy migrate"
SERVE = ".venv/bin/gunicorn -c python:timebank.serving wsgi:app"
WORKER = ".venv/bin/flask --app wsgi jobs worker"
#: Where the systemd units install the app (the guide's section 2).
HOME = "/srv/timebank/"


def _guide_commands() -> set[str]:
    """Every line of the guide's ``sh`` blocks."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    return {line.strip() for block in blocks for line in block.splitlines() if line.strip()}


def test_the_guide_shows_the_commands_every_recipe_runs() -> None:
    assert {MIGRATE, SERVE, WORKER} <= _guide_commands()


def test_the_dockerfile_installs_and_serves_as_the_guide_does() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    runs = re.findall(r"^RUN (.+)$", dockerfile, re.MULTILINE)
    # The app's own steps (the system's are the image's business: a package, a user).
    app_steps = [run for run in runs if run.startswith((".venv/", "python3.11"))]
    assert len(app_steps) == 4
    assert sorted(set(app_steps) - _guide_commands()) == []
    (command,) = re.findall(r"^CMD (.+)$", dockerfile, re.MULTILINE)
    assert shlex.join(json.loads(command)) == SERVE
    # Everything the app reads at run time is copied in.
    copied = " ".join(re.findall(r"^COPY (.+)$", dockerfile, re.MULTILINE))
    for needed in ("requirements.lock", "pyproject.toml", "config.py", "wsgi.py", "timebank/", "migrations/",
                   "templates/"):
        assert needed in copied


def test_the_procfile_runs_the_guides_commands() -> None:
    lines = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines())
    assert lines == {"release": MIGRATE, "web": SERVE, "worker": WORKER}


@pytest.mark.parametrize(("unit", "commands"), [
    ("timebank-web.service", {"ExecStartPre": MIGRATE, "ExecStart": SERVE}),
    ("timebank-worker.service", {"ExecStart": WORKER}),
])
def test_the_systemd_units_run_the_guides_commands(unit: str, commands: dict[str, str]) -> None:
    text = (DEPLOY / unit).read_text(encoding="utf-8")
    assert f"WorkingDirectory={HOME.rstrip('/')}" in text
    for key, command in commands.items():
        (found,) = re.findall(rf"^{key}=(.+)$", text, re.MULTILINE)
        assert found.replace(HOME, "") == command


def test_compose_runs_the_guides_commands_with_postgres_and_redis() -> None:
    services = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))["services"]
    assert {"postgres", "redis", "migrate", "app", "worker"} <= services.keys()
    commands = {name: shlex.join(services[name]["command"]) for name in ("migrate", "app", "worker")}
    assert commands == {"migrate": MIGRATE, "app": SERVE, "worker": WORKER}


def test_compose_yaml_is_valid_for_compose() -> None:
    program = shutil.which("docker-compose")
    if program is None:
        pytest.skip("docker-compose is not installed (Debian: apt-get install docker-compose)")
    checked = subprocess.run([program, "-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"],
                             env={"TIMEBANK_SECRET_KEY": "checked-by-the-tests", "TIMEBANK_BENEFIT_KEYS": "checked-too",
                                  "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr


def test_the_nginx_settings_are_valid_for_nginx(tmp_path: Path) -> None:
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if nginx is None or openssl is None:
        pytest.skip("nginx or openssl is not installed (Debian: apt-get install nginx-light openssl)")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
                   capture_output=True, check=True)
    site = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path / 'cert.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path / 'key.pem'};", site)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path / 'nginx.pid'};\nevents {{}}\nhttp {{ include {tmp_path / 'site.conf'}; }}\n", encoding="utf-8")
    checked = subprocess.run([nginx, "-t", "-e", str(tmp_path / "error.log"), "-c", str(tmp_path / "nginx.conf")],
                             capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
