"""Schemas of the versioned policy."""

import dataclasses
import re
import types
import typing
from datetime import date
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate, validates

from creditsvc.core.refusals import said
from creditsvc.schemas.fields import ISO_DATE, FreeText
from scoring.policy import Policy

# A policy's decimals (money, rates, shares) are plain ASCII decimal strings: never "1e30",
# "1_000" or Arabic-Indic digits, which Decimal() would all read.
PLAIN_DECIMAL = re.compile(r"^-?[0-9]{1,12}(\.[0-9]{1,8})?$")
HINTS = typing.get_type_hints(Policy)
CHANGEABLE = tuple(f.name for f in dataclasses.fields(Policy) if f.name != "version")


def plain_value(hint, value, path: str) -> None:
    """Refuse a policy value whose shape Policy.from_dict would read loosely."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is not None:
            plain_value(next(a for a in args if a is not type(None)), value, path)
    elif origin is tuple:
        if not isinstance(value, list):
            raise ValidationError(said("policy_value_list", path=path))
        inner = args if not (len(args) == 2 and args[1] is Ellipsis) else (args[0],) * len(value)
        for i, (item_hint, item) in enumerate(zip(inner, value, strict=False)):
            plain_value(item_hint, item, f"{path}[{i}]")
    elif hint is Decimal and not (isinstance(value, str) and PLAIN_DECIMAL.match(value)):
        raise ValidationError(said("policy_value_decimal", path=path))
    elif hint is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise ValidationError(said("policy_value_whole", path=path))
    elif hint is date and not (isinstance(value, str) and ISO_DATE.match(value)):
        raise ValidationError(said("policy_value_date", path=path))


class PolicySchema(Schema):
    """A policy version: every number of the programme's rules."""

    version = fields.Integer(dump_only=True)
    body = fields.Dict(metadata={"description": "every value; money and rates as decimal strings"})


class PolicyChangeSchema(Schema):
    """The values to change; everything else is carried over from the active version."""

    changes = fields.Dict(keys=fields.String(validate=validate.OneOf(CHANGEABLE)), required=True,
                          validate=validate.Length(min=1),
                          metadata={"example": {"npl_tolerance": "0.04"}})
    note = FreeText(max_length=500)

    @validates("changes")
    def _plain(self, changes: dict, **_kwargs) -> None:
        for name, value in changes.items():
            plain_value(HINTS[name], value, name)
