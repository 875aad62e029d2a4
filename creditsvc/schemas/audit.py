"""Schemas of the audit trail."""

from marshmallow import Schema, fields

from creditsvc.schemas.fields import Code


class AuditEventSchema(Schema):
    """One audit event with its chain link."""

    seq = fields.Integer(dump_only=True)
    occurred_at = fields.DateTime()
    actor_id = fields.String(allow_none=True)
    actor_name = fields.String(allow_none=True)
    role = fields.String(allow_none=True)
    action = fields.String()
    target_type = fields.String(allow_none=True)
    target_id = fields.String(allow_none=True)
    request_id = fields.String(allow_none=True)
    outcome = fields.String()
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
    detail = fields.Dict(allow_none=True)
    prev_hash = fields.String()
    hash = fields.String()


class AuditQuerySchema(Schema):
    """Filters of the audit listing."""

    action = Code(max_length=64)
    target_id = Code(max_length=64)
    actor_id = Code(max_length=36)


class AnchorSchema(Schema):
    """The chain's head, signed: keep it outside the database (`flask audit verify --anchors`)."""

    seq = fields.Integer(dump_only=True, metadata={"description": "the last event's sequence number"})
    hash = fields.String(metadata={"description": "the last event's hash"})
    taken_at = fields.String(metadata={"description": "when the anchor was taken (UTC, ISO 8601)"})
    mac = fields.String(metadata={"description": "HMAC-SHA256 keyed from the service's secret"})
