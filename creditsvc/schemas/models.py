"""Schemas of the scorecard registry."""

import json

from marshmallow import Schema, fields


class ModelSchema(Schema):
    """A registered scorecard."""

    sha256 = fields.String()
    version = fields.Function(lambda m: m.sha256[:12])
    source = fields.String()
    auc = fields.Float(dump_only=True, allow_none=True,
                       metadata={"description": "AUC on the artifact's own holdout"})
    is_champion = fields.Boolean()
    created_at = fields.DateTime()
    promoted_at = fields.DateTime(allow_none=True)


class ModelDetailSchema(ModelSchema):
    """A scorecard with its full points table."""

    artifact = fields.Function(lambda m: json.loads(m.artifact))
