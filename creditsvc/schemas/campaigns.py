"""Schemas of the village campaign: opening, the committee's views, objections, and reading."""

from marshmallow import Schema, fields, validate

from creditsvc.schemas.fields import Code, Fen, FreeText, QueryNumber, Yuan
from creditsvc.schemas.households import PersonName
from creditsvc.services.campaign.committee import MAX_NOTE, VIEWS
from creditsvc.services.campaign.notice import OUTCOMES
from models.campaign import CAMPAIGN_STATUSES

LINE_MAX = 50_000


class CampaignOpenSchema(Schema):
    """Open a campaign for a town of the caller's area, or one village of it."""

    town = Code(required=True, max_length=32)
    village = Code(max_length=64, load_default=None)


class CampaignQuerySchema(Schema):
    """Filters and paging of the campaign list."""

    status = fields.String(validate=validate.OneOf(CAMPAIGN_STATUSES))
    after = fields.String(validate=validate.Length(max=200))
    before = fields.String(validate=validate.Length(max=200))
    page_size = QueryNumber(1, 200, load_default=50)
    n = QueryNumber(1, 1_000_000, metadata={"description": "the page's number, as the pages show it"})


class CampaignSchema(Schema):
    """A campaign and the state of its steps."""

    id = fields.String()
    number = fields.String()
    town = fields.String()
    village = fields.String(allow_none=True)
    status = fields.String(metadata={"enum": list(CAMPAIGN_STATUSES)})
    opened_on = fields.Date()
    rated_on = fields.Date(allow_none=True)
    notice_from = fields.Date(allow_none=True)
    notice_until = fields.Date(allow_none=True, metadata={"description": "公示's last day"})
    granted_on = fields.Date(allow_none=True)
    policy_version = fields.Integer(allow_none=True, dump_only=True)
    model_sha256 = fields.String(allow_none=True)


class EntrySchema(Schema):
    """One household on the list (masked), its rating and the committee's view."""

    id = fields.String()
    household_id = fields.String()
    village = fields.String()
    head_name = fields.String(metadata={"example": "陈*"})
    id_number = fields.String(metadata={"example": "440524********0014"})
    rating_id = fields.String(allow_none=True)
    grade = fields.String(allow_none=True)
    score = fields.Float(allow_none=True, dump_only=True)
    rating_line = Fen(allow_none=True)
    committee_view = fields.String(allow_none=True, metadata={"enum": list(VIEWS)})
    committee_line = Fen(allow_none=True)
    committee_note = fields.String(allow_none=True)
    proposed_line = Fen(allow_none=True, metadata={"description": "the line posted and granted"})


class ViewSchema(Schema):
    """The committee's view of one household on the list."""

    entry_id = Code(required=True, max_length=36)
    view = fields.String(required=True, validate=validate.OneOf(VIEWS))
    line = Yuan(maximum=LINE_MAX, load_default=None,
                metadata={"description": "the lowered line (view `lower` only)"})
    note = FreeText(max_length=MAX_NOTE, load_default=None)


class ViewsSchema(Schema):
    """Views of any households of the list; all are saved, or none."""

    views = fields.List(fields.Nested(ViewSchema), required=True,
                        validate=validate.Length(min=1, max=20_000))


class ObjectionInSchema(Schema):
    """An objection heard during 公示."""

    raised_by = PersonName(required=True, metadata={"description": "who raised it (encrypted)"})
    content = FreeText(required=True, min_length=2, max_length=1000)
    entry_id = Code(max_length=36, load_default=None)


class ResolutionSchema(Schema):
    """How an objection was resolved: dismissed, or upheld by adjusting or removing the line."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    resolution = FreeText(required=True, min_length=2, max_length=1000)
    line = Yuan(maximum=LINE_MAX, load_default=None)


class ObjectionSchema(Schema):
    """An objection: who (masked), what, and its resolution."""

    id = fields.String()
    entry_id = fields.String(allow_none=True)
    raised_by = fields.String(attribute="raised_by_masked")
    raised_on = fields.Date()
    content = fields.String()
    status = fields.String()
    resolution = fields.String(allow_none=True)
    resolved_by = fields.String(allow_none=True)
    resolved_at = fields.DateTime(allow_none=True)


class CreditLineSchema(Schema):
    """A granted credit line."""

    id = fields.String()
    household_id = fields.String()
    campaign_id = fields.String(allow_none=True)
    rating_id = fields.String()
    grade = fields.String()
    line = Fen(attribute="line_fen")
    valid_from = fields.Date()
    valid_until = fields.Date()
    status = fields.String()
    replaced_by = fields.String(allow_none=True)
    policy_version = fields.Integer(dump_only=True)
    model_sha256 = fields.String()
