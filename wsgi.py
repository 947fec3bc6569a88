"""WSGI entry point: ``flask --app wsgi …`` and ``gunicorn wsgi:app``."""

from timebank import create_app

app = create_app()
