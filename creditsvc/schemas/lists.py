"""Schemas of the campaign's lists: 信用评级 (granted credit lines) and 应贷未贷."""

from marshmallow import Schema, fields, validate

from creditsvc.core.vocab import TOWNS
from creditsvc.schemas.fields import Code, Fen
from creditsvc.services.campaign.lists import LINE_STATES

GRADES = ("AAA", "AA", "A")


class UnborrowedQuerySchema(Schema):
    """Filters of 应贷未贷: town, village (any part of its name), grade."""

    town = fields.String(validate=validate.OneOf(TOWNS))
    village = Code(max_length=64, metadata={"description": "any part of the village's name"})
    grade = fields.String(validate=validate.OneOf(GRADES))


class CreditRatingQuerySchema(UnborrowedQuerySchema):
    """Filters of 信用评级: town, village, grade and the line's state on the business date."""

    state = fields.String(validate=validate.OneOf(LINE_STATES), metadata={
        "description": "valid (有效), expired (已过期), replaced (已替换) or revoked (已撤销)"})


class ListedLineSchema(Schema):
    """A granted credit line and its household (the head's name masked)."""

    line_id = fields.String()
    household_id = fields.String()
    head_name = fields.String(metadata={"example": "张*", "description": "masked"})
    town = fields.String()
    village = fields.String()
    grade = fields.String(metadata={"enum": list(GRADES)})
    line = Fen(attribute="line_fen", metadata={"description": "授信额度"})
    granted_on = fields.Date(metadata={"description": "授信时间"})
    valid_from = fields.Date()
    valid_until = fields.Date(metadata={"description": "到期: the last day the line is in force"})
    state = fields.String(metadata={"enum": list(LINE_STATES),
                                    "description": "the line's state on the business date"})


class UnborrowedSchema(ListedLineSchema):
    """A household of 应贷未贷: its line in force, and what its survey asked for."""

    intended_amount = Fen(attribute="intended_amount_fen", allow_none=True,
                          metadata={"description": "意向金额, from the survey"})


class VillageCountSchema(Schema):
    """应贷未贷 households of one village."""

    village = fields.String()
    count = fields.Integer(dump_only=True)


class TownCountSchema(Schema):
    """应贷未贷 households of one town, and of each of its villages."""

    town = fields.String()
    count = fields.Integer(dump_only=True)
    villages = fields.List(fields.Nested(VillageCountSchema))


class UnborrowedCountsSchema(Schema):
    """应贷未贷 counted per town and village of the officer's area, on the business date."""

    as_of = fields.Date()
    total = fields.Integer(dump_only=True)
    towns = fields.List(fields.Nested(TownCountSchema))
