"""Ratings (信用评级) without an application, and their replay."""

from marshmallow import Schema, fields

from creditsvc.schemas.fields import Fen


class RatingSchema(Schema):
    """A household's rating with its whole assessment (recomputed from its stored record)."""

    id = fields.String()
    household_id = fields.String()
    campaign_id = fields.String(allow_none=True)
    borrower_member_id = fields.String(allow_none=True, metadata={
        "description": "the member who borrows (贷款人); null: the head"})
    requested_amount = Fen(attribute="requested_amount_fen",
                           metadata={"description": "the survey's intended amount (意向金额)"})
    term_months = fields.Integer(dump_only=True)
    purpose = fields.String()
    decision = fields.String(metadata={"enum": ["approved", "referred", "declined"]})
    grade = fields.String(allow_none=True)
    score = fields.Float(dump_only=True, allow_none=True)
    pd = fields.Float(dump_only=True, allow_none=True)
    line = Fen(attribute="line_fen", metadata={
        "description": "the line the grade allows (policy grade bands); 0.00 declined or unrated"})
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
    assessment = fields.Dict(metadata={"description": (
        "inputs, rules, points, reasons, decision: recomputed by replay from the stored input "
        "with the rating's own policy version and model")})
    rated_by = fields.String()
    rated_on = fields.Date()
    created_at = fields.DateTime()


class RatingReplaySchema(Schema):
    """A stored rating recomputed with its own policy version and model."""

    rating_id = fields.String()
    matches = fields.Boolean(metadata={"description": (
        "decision, grade, score, PD, line and each rule's outcome equal what is stored")})
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
    stored = fields.Dict(metadata={"description": "the assessment as the rating shows it"})
    replayed = fields.Dict(metadata={"description": "the assessment recomputed now"})
