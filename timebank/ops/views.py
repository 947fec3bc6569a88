"""``/healthz`` and ``/readyz``, at the root as Kubernetes and most load balancers expect them, open to
anyone (they say nothing about anyone's data) and never cached.

``/healthz``: the process is up and answering; it touches nothing else, so a database outage never gets
healthy processes restarted. ``/readyz``: this process can serve, because the database and every
configured Redis answer; otherwise a 503 problem that names what failed (the details go to the log), so
the load balancer sends requests elsewhere until it recovers."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from flask_babel import lazy_gettext as _l

from timebank.errors import problem
from timebank.ops import health

bp = Blueprint("ops", __name__)


def _fresh(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def healthz() -> Response:
    return _fresh(jsonify(status="ok"))


@bp.route("/readyz")
def readyz() -> Response:
    failed = health.unreachable(current_app.config)
    if failed:
        return _fresh(problem(503, _l("Not ready to serve"), _l("Cannot reach: %(names)s", names=", ".join(failed)),
                              code="not-ready", unreachable=failed))
    return _fresh(jsonify(status="ready"))
