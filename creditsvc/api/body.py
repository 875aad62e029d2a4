"""Request bodies: JSON only, bounded in size and depth, free of NUL; one parser for every view.

A body is parsed once, with orjson, which refuses what the standard library lets through to
a 500 later: a lone surrogate ("\\ud800", which cannot be encoded to store or send) and
nesting deep enough to exhaust the stack. Nesting is also capped far lower (MAX_DEPTH), and a
NUL character (which PostgreSQL refuses in text) is refused anywhere in a body, path or query.

The parse happens before every API write (check_request), not in a view's decorators: no
route, whatever its blueprint or parser, sees a body that has not passed here. The views'
parser (JsonBodyParser) then reads the same parsed value.
"""

import orjson
from flask import current_app, request
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from creditsvc.api.auth import view_method
from creditsvc.core.errors import AppError, TooLarge, UnsupportedMedia
from creditsvc.core.refusals import size

# No request of this service nests deeper than a household's members (4 levels).
MAX_DEPTH = 16
# Every body but the bank's bulk feed: a household file with 30 members and 100 events is
# about 25 kB.
BODY_LIMIT = 256 * 1024
# The bank's bulk feed: 10,000 rows of about 90 bytes each, with room for pretty-printing.
BULK_FEED_LIMIT = 4 * 1024 * 1024
WRITES = frozenset({"POST", "PUT", "PATCH"})
_PARSED, _UNREAD = "creditsvc.json_body", object()


def body_limit(limit: int):
    """Allow a view method a larger body than BODY_LIMIT (the bulk feed)."""

    def mark(fn):
        fn.body_limit = limit
        return fn

    return mark


def accepts_files(fn):
    """Let a view method take a multipart/form-data upload (a feed file) instead of JSON."""
    fn.accepts_files = True
    return fn


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get(
        "Transfer-Encoding", "").lower()


def check_request() -> None:
    """Before a view: no NUL in the path or query; a write's body is JSON and within its limit."""
    if "\x00" in request.path or any("\x00" in k or "\x00" in v
                                     for k, v in request.args.items(multi=True)):
        raise AppError("nul_character")
    if (request.method not in WRITES or request.endpoint is None or not _has_body()
            or not request.path.startswith("/api/")):
        return  # page forms are posted as forms: the pages check their own
    target = view_method(current_app.view_functions[request.endpoint], request.method)
    limit = getattr(target, "body_limit", BODY_LIMIT)
    request.max_content_length = limit  # also bounds a chunked body as it is read
    if (request.content_length or 0) > limit:
        raise TooLarge(extra={"limit": limit}, limit=size(limit))
    if getattr(target, "accepts_files", False) and request.mimetype == "multipart/form-data":
        return
    json_body()  # 415 unless JSON; 400 when invalid, too deep or holding a NUL


def check_shape(value, raw: bytes) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH, or with a NUL in a key or string."""
    deep = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    nul = b"\\u0000" in raw
    if not (deep or nul):  # the common case: nothing to walk
        return
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise _too_deep()
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(item, str) and "\x00" in item:
            raise AppError("nul_character")


def _too_deep() -> AppError:
    return AppError("json_too_deep", depth=MAX_DEPTH)


def json_body():
    """The request's body as JSON, parsed and checked once per request (missing when empty)."""
    # Kept on the request itself: an app context, and so `g`, may outlive one request.
    parsed = request.environ.get(_PARSED, _UNREAD)
    if parsed is _UNREAD:
        parsed = request.environ[_PARSED] = _parse_json(request.get_data(cache=True))
    return parsed


def _parse_json(raw: bytes):
    if not raw:
        return core.missing
    if not is_json_request(request):
        raise UnsupportedMedia()
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if str(exc).startswith("depth limit exceeded"):
            raise _too_deep() from exc
        raise AppError("invalid_json") from exc
    check_shape(value, raw)
    return value


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser, reading the body json_body parsed and checked."""

    def _raw_load_json(self, req):
        return json_body()


def register_request_checks(app) -> None:
    """Run check_request before every view (after authentication); cap every body's size."""
    app.config.setdefault("MAX_CONTENT_LENGTH", BULK_FEED_LIMIT)
    app.before_request(check_request)
