"""The baseline: a bare Flask app answering one fixed small HTML page, served like the real one.

    gunicorn bench.bare_app:app --bind 127.0.0.1:PORT --workers 2
"""

from __future__ import annotations

from flask import Flask

PAGE = ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bare</title></head>"
        "<body><h1>Hello</h1><p>A fixed page with no database, template or session.</p></body></html>")

app = Flask(__name__)


@app.get("/")
def index():
    return PAGE
