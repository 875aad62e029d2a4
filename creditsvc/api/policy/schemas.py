"""Schemas of the versioned policy."""

from marshmallow import Schema, fields, validate


class PolicySchema(Schema):
    """A policy version: every number of the programme's rules."""

    version = fields.Integer()
    body = fields.Dict(metadata={"description": "every value; money and rates as decimal strings"})


class PolicyChangeSchema(Schema):
    """The values to change; everything else is carried over from the active version."""

    changes = fields.Dict(required=True, validate=validate.Length(min=1),
                          metadata={"example": {"npl_tolerance": "0.04"}})
    note = fields.String(validate=validate.Length(max=500))
