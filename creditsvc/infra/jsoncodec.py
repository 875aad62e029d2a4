"""JSON with orjson: API responses and the JSON columns.

Every response and every stored assessment is several kilobytes of floats and nested
objects; orjson encodes them several times faster than the standard library. The output
means the same JSON: keys sorted as Flask sorts them, and anything orjson does not know
natively (dates, datetimes, Decimal, UUID, dataclasses) goes through Flask's own
conversions, so no value changes format. Non-ASCII text is written as UTF-8 instead of
\\u escapes.
"""

import orjson
from flask.json.provider import DefaultJSONProvider, _default

# Dates and dataclasses pass through to Flask's `_default` so that they keep Flask's format.
_RESPONSE_OPTIONS = (orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
                     | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS)


def column_dumps(value) -> str:
    """The serializer of JSON columns: JSON-native values only, as the standard one."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


class OrjsonProvider(DefaultJSONProvider):
    """Flask's JSON provider, encoding with orjson (debug or indented output falls back)."""

    def _fast(self, kwargs: dict) -> bool:
        return not kwargs and not ((self.compact is None and self._app.debug)
                                   or self.compact is False)

    def dumps(self, obj, **kwargs) -> str:
        if not self._fast(kwargs) or not self.sort_keys:
            return super().dumps(obj, **kwargs)
        return orjson.dumps(obj, default=_default, option=_RESPONSE_OPTIONS).decode()

    def loads(self, s, **kwargs):
        return super().loads(s, **kwargs) if kwargs else orjson.loads(s)

    def response(self, *args, **kwargs):
        if not self._fast({}) or not self.sort_keys:
            return super().response(*args, **kwargs)
        obj = self._prepare_response_obj(args, kwargs)
        body = orjson.dumps(obj, default=_default, option=_RESPONSE_OPTIONS) + b"\n"
        return self._app.response_class(body, mimetype=self.mimetype)
