"""Schemas of the audit trail."""

from marshmallow import Schema, fields

from creditsvc.api.fields import Code


class AuditEventSchema(Schema):
    """One audit event with its chain link."""

    seq = fields.Integer()
    occurred_at = fields.DateTime()
    actor_id = fields.String()
    actor_name = fields.String()
    role = fields.String()
    action = fields.String()
    target_type = fields.String()
    target_id = fields.String()
    request_id = fields.String()
    outcome = fields.String()
    before = fields.Dict()
    after = fields.Dict()
    detail = fields.Dict()
    prev_hash = fields.String()
    hash = fields.String()


class AuditQuerySchema(Schema):
    """Filters of the audit listing."""

    action = Code(max_length=64)
    target_id = Code(max_length=64)
    actor_id = Code(max_length=36)


class AnchorSchema(Schema):
    """The chain's head, signed: keep it outside the database (`flask audit verify --anchors`)."""

    seq = fields.Integer(metadata={"description": "the last event's sequence number"})
    hash = fields.String(metadata={"description": "the last event's hash"})
    taken_at = fields.String(metadata={"description": "when the anchor was taken (UTC, ISO 8601)"})
    mac = fields.String(metadata={"description": "HMAC-SHA256 keyed from the service's secret"})
