"""Response headers of every response: no sniffing, no caching of personal data, a docs CSP."""

import base64
import hashlib
import re

from flask import request

from creditsvc.api.auth import PUBLIC_PREFIXES

DOCS_PATH = "/api/v1/docs"
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def docs_policy(body: bytes) -> str:
    """The docs page's CSP: its own files only, its inline start-up script by hash, no framing."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body))
    return ("default-src 'self'; script-src 'self' " + hashes + "; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def security_headers(response):
    """after_request: set the headers below on RESPONSE."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    path = request.path
    if path.startswith("/api/v1") and not path.startswith(PUBLIC_PREFIXES):
        # Any API answer may carry personal data (a household file, an application's inputs,
        # an audit event): never keep it in a browser's or a proxy's cache.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    elif path == DOCS_PATH or path == DOCS_PATH + "/":
        response.headers["Content-Security-Policy"] = docs_policy(response.get_data())
        response.headers["X-Frame-Options"] = "DENY"
    return response


def register_headers(app) -> None:
    """Attach security_headers to every response."""
    app.after_request(security_headers)
