"""The baseline of bench_applications: a bare Flask endpoint that parses JSON and answers."""

from flask import Flask, request

app = Flask(__name__)


@app.post("/bare")
def bare():
    """Echo the size of the body: no validation, no database."""
    body = request.get_json()
    return {"ok": True, "fields": len(body)}, 201


@app.get("/healthz")
def healthz():
    """Answer that the server is up (the harness waits for it)."""
    return {"status": "ok"}
