"""Type-driven JSON codec for the frozen dataclasses of the scoring package.

One codec instead of a hand-written to_dict per class: the field annotations
say how each value is written (Decimal as a string, date as ISO) and read back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any


class CodecError(ValueError):
    """A dict could not be read back into a dataclass."""


def to_jsonable(value: Any) -> Any:
    """Convert a dataclass tree to JSON-native Python (Decimal → str, date → ISO, tuple → list)."""
    cls = type(value)
    return value if cls in _NATIVE else _converter(cls)(value)


# Most of an assessment's ~150 values are these: kept as they are without a lookup.
_NATIVE = frozenset({str, int, float, bool, type(None)})


@functools.cache
def _converter(cls: type):
    """How values of CLS are converted; decided once per class (an assessment has ~150 values)."""
    if issubclass(cls, str | int | float | types.NoneType):  # bool is an int
        return _same
    if issubclass(cls, Decimal):
        return str
    if issubclass(cls, dt.date):  # datetime too
        return cls.isoformat
    if issubclass(cls, tuple | list):  # named tuples too
        return _sequence
    if issubclass(cls, dict):
        return _mapping
    if dataclasses.is_dataclass(cls):
        names = tuple(f.name for f in dataclasses.fields(cls))

        def convert(value) -> dict:
            out = {}
            for name in names:
                v = getattr(value, name)
                out[name] = v if type(v) in _NATIVE else _converter(type(v))(v)
            return out

        return convert
    return _same


def _same(value: Any) -> Any:
    return value


def _sequence(value) -> list:
    return [v if type(v) in _NATIVE else _converter(type(v))(v) for v in value]


def _mapping(value: dict) -> dict:
    return {str(k): v if type(v) in _NATIVE else _converter(type(v))(v) for k, v in value.items()}


def from_jsonable(cls: type, data: Any, path: str = "") -> Any:
    """Build dataclass `cls` from `data` written by to_jsonable, checking types."""
    if not isinstance(data, dict):
        raise CodecError(f"{path or cls.__name__}: expected an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise CodecError(f"{path or cls.__name__}: unknown field(s) {sorted(unknown)}")
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise CodecError(f"{path}{f.name}: required field is missing")
            continue
        kwargs[f.name] = _read(hints[f.name], data[f.name], f"{path}{f.name}")
    return cls(**kwargs)


def _read(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        return _read(inner[0], value, path)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise CodecError(f"{path}: expected a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], v, f"{path}[{i}].") for i, v in enumerate(value))
        if len(args) != len(value):
            raise CodecError(f"{path}: expected {len(args)} items, got {len(value)}")
        return tuple(_read(a, v, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True)))
    if dataclasses.is_dataclass(tp):
        return from_jsonable(tp, value, f"{path}.")
    return _read_scalar(tp, value, path)


def _read_scalar(tp: Any, value: Any, path: str) -> Any:
    path = path.rstrip(".")
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise CodecError(f"{path}: expected a decimal string, got {value!r}")
        try:
            result = Decimal(value)
        except InvalidOperation:
            raise CodecError(f"{path}: not a decimal: {value!r}") from None
        if not result.is_finite():
            raise CodecError(f"{path}: not a finite decimal: {value!r}")
        return result
    if tp is dt.date:
        if not isinstance(value, str):
            raise CodecError(f"{path}: expected an ISO date string, got {value!r}")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise CodecError(f"{path}: not an ISO date: {value!r}") from None
    if tp is bool:
        if not isinstance(value, bool):
            raise CodecError(f"{path}: expected true/false, got {value!r}")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodecError(f"{path}: expected an integer, got {value!r}")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CodecError(f"{path}: expected a number, got {value!r}")
        return float(value)
    if tp is str:
        if not isinstance(value, str):
            raise CodecError(f"{path}: expected a string, got {value!r}")
        return value
    raise CodecError(f"{path}: unsupported type {tp!r}")
