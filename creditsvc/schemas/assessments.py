"""Schemas of the assessment preview."""

from marshmallow import Schema, fields

from creditsvc.schemas.applications import ApplicationInSchema


class PreviewInSchema(ApplicationInSchema):
    """A proposed application; the bank is not needed to assess it."""

    class Meta:
        exclude = ("bank",)


class PreviewSchema(Schema):
    """The whole assessment: rules, points, reasons, grade, PD, decision and versions."""

    decision = fields.String()
    grade = fields.String(allow_none=True)
    score = fields.Float(dump_only=True, allow_none=True)
    pd = fields.Float(dump_only=True, allow_none=True)
    limit = fields.String(allow_none=True)
    approved_amount = fields.String(allow_none=True)
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
    assessment = fields.Dict()
