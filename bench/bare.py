"""The baseline for ``make bench``: a bare Flask app with one route answering JSON, served with the same
gunicorn settings as the app (``gunicorn bench.bare:app``)."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def ok() -> dict[str, bool]:
    return {"ok": True}
