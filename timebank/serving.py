"""gunicorn's settings, from the environment (``config.web_server``)::

    gunicorn -c python:timebank.serving wsgi:app

Workers start the app after they fork (no ``preload_app``), so no database connection is ever shared
between processes; should someone preload it all the same (``--preload``), each worker throws away the
connections it inherited (``post_fork``). On SIGTERM gunicorn stops accepting, lets every worker finish
the requests it holds for up to ``graceful_timeout`` seconds, then stops: a deploy or a scale-in drops
no request. The access log is the app's own (``timebank.logs``: one record per request, with its id);
gunicorn's records go to stderr in the same format.
"""

from __future__ import annotations

from typing import Any

import config as _config  # not "config": gunicorn would take it for its own setting of that name

_server = _config.web_server()

bind = [_server.bind]
workers = _server.workers
threads = _server.threads  # more than one: gunicorn's threaded worker (gthread)
timeout = _server.timeout
graceful_timeout = _server.graceful_timeout
keepalive = _server.keepalive
max_requests = _server.max_requests
#: Spread the restarts, so the workers are not all replaced at once.
max_requests_jitter = _server.max_requests // 10
preload_app = False
#: gunicorn's control socket sits at one path per user, which two servers on a machine would fight over;
#: nothing here uses it (signals do the same: HUP reloads, TTIN/TTOU add or remove a worker).
control_socket_disable = True
accesslog = None
errorlog = "-"
loglevel = _server.log_level.lower()
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    # The app adds its own handler to the root logger when it starts (timebank.logs.configure).
    "root": {"level": _server.log_level, "handlers": []},
    "handlers": {"stderr": {"()": "timebank.logs.handler", "kind": _server.log_format}},
    "loggers": {"gunicorn.error": {"level": _server.log_level, "handlers": ["stderr"], "propagate": False}},
}


def post_fork(server: Any, worker: Any) -> None:
    """A preloaded app's connections belong to the parent: the worker opens its own."""
    if server.cfg.preload_app:
        from timebank.db import db

        with worker.app.wsgi().app_context():
            for engine in db.engines.values():
                engine.dispose(close=False)
