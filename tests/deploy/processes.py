"""Running the app's own commands in processes of their own, as a machine in production runs them: a
gunicorn server, or ``flask --app wsgi …``, with settings only from the environment."""

from __future__ import annotations

import base64
import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: How long a server may take to start before the test gives up on it (not a measurement).
START_WITHIN_SECONDS = 60
#: Production needs a key for benefit data: one for the run (a Fernet key: 32 bytes, url-safe base64).
BENEFIT_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def production_environment(**settings: str) -> dict[str, str]:
    """This process's environment without any ``TIMEBANK_`` variable, plus production ``settings`` (each
    name without its ``TIMEBANK_`` prefix)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("TIMEBANK_")}
    environment.update(TIMEBANK_ENV="production", TIMEBANK_SECRET_KEY=secrets.token_urlsafe(48),
                       TIMEBANK_BENEFIT_KEYS=BENEFIT_KEY)
    environment.update({f"TIMEBANK_{name}": value for name, value in settings.items()})
    return environment


def flask(*arguments: str, environment: dict[str, str]) -> subprocess.Popen[str]:
    """``flask --app wsgi ARGUMENTS`` in the project's folder, started (not waited for)."""
    return subprocess.Popen([str(BIN / "flask"), "--app", "wsgi", *arguments], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def free_port() -> int:
    """A port nothing listens on now, chosen by the system."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def cookie(self, name: str) -> str | None:
        """The value this answer sets for cookie ``name``, if it sets it."""
        for header in self.headers.get_all("Set-Cookie") or ():
            pair = header.split(";", 1)[0]
            key, _, value = pair.partition("=")
            if key.strip() == name:
                return value
        return None


@dataclass
class Server:
    """A gunicorn server of the app, on ``port``, its log in ``log``."""

    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(response.status, response.headers, response.read())
        finally:
            connection.close()

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_WITHIN_SECONDS
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server stopped:\n{self.log_text()}"
            try:
                if self.call("GET", "/readyz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the server did not become ready:\n{self.log_text()}")

    def log_text(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")


@contextmanager
def gunicorn(environment: dict[str, str], log_file: Path) -> Iterator[Server]:
    """The app under gunicorn with ``timebank.serving``'s settings, on a free port, ready; stopped (SIGTERM,
    gracefully) afterwards."""
    port = free_port()
    with log_file.open("w+b") as log:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:timebank.serving", "wsgi:app"], cwd=ROOT,
            env={**environment, "TIMEBANK_BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=subprocess.STDOUT)
        server = Server(port, process, log)
        try:
            server.wait_until_ready()
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
