"""Schemas of household files: input validated here, personal data masked on the way out."""


from marshmallow import Schema, ValidationError, fields, validate

from creditsvc.core.idcard import normalise_id_number
from creditsvc.core.pii import normalise_mobile, validate_name
from creditsvc.core.refusals import ValueProblem
from creditsvc.core.vocab import EVENT_KINDS, INCOME_SOURCES, RELATIONS, STATUSES, TOWNS
from creditsvc.schemas.fields import Code, Day, Fen, FreeText, WholeNumber, Yuan, not_future


class _Normalised(fields.String):
    """A string field whose value is validated and normalised by a function."""

    normalise = None

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return type(self).normalise(text)
        except ValueProblem as exc:
            raise ValidationError(exc.said) from exc


class IdNumber(_Normalised):
    """A resident ID number (GB 11643-1999), upper-case X."""

    normalise = staticmethod(normalise_id_number)


class Mobile(_Normalised):
    """A mainland mobile number."""

    normalise = staticmethod(normalise_mobile)


class PersonName(_Normalised):
    """A person's name."""

    normalise = staticmethod(validate_name)



class MemberSchema(Schema):
    """A household member."""

    id = fields.String(allow_none=True, validate=validate.Length(max=36), metadata={
        "description": "names the member (as a borrower, for one). In a change of the file's "
                       "members, a member sent with its id is the same member changed, keeping "
                       "its name and ID number on record; one without an id is a new member; "
                       "a member left out is removed (409 member_in_use if it is a borrower)"})
    relation = fields.String(required=True, validate=validate.OneOf(RELATIONS))
    birth_date = Day(allow_none=True, validate=not_future)
    labour_capable = fields.Boolean(allow_none=True)
    chronic_illness = fields.Boolean(load_default=False)
    disability = fields.Boolean(load_default=False)
    in_school = fields.Boolean(load_default=False)


class GuaranteesSchema(Schema):
    """两不愁三保障: true = secured, false = not, null = not surveyed."""

    food = fields.Boolean(allow_none=True)
    clothing = fields.Boolean(allow_none=True)
    education = fields.Boolean(allow_none=True)
    medical = fields.Boolean(allow_none=True)
    housing = fields.Boolean(allow_none=True)


class MonitoringEventSchema(Schema):
    """A dated shock in the monitoring record."""

    id = fields.String(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    occurred_on = Day(required=True, validate=not_future)
    note = FreeText(allow_none=True, max_length=500)


class HouseholdInSchema(Schema):
    """A household file as an officer submits it (PATCH: any subset)."""

    head_name = PersonName(required=True)
    id_number = IdNumber(required=True, metadata={"example": "440524199001010014"})
    phone = Mobile(allow_none=True, metadata={"example": "13812345678"})
    town = fields.String(required=True, validate=validate.OneOf(TOWNS))
    village = Code(required=True, max_length=64)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    lifted_year = WholeNumber(2014, 2100, allow_none=True)
    head_labour_capable = fields.Boolean(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema), validate=validate.Length(max=30))
    per_capita_income = Yuan(allow_none=True, maximum=1_000_000)
    income_sources = fields.List(fields.String(validate=validate.OneOf(INCOME_SOURCES)),
                                 validate=validate.Length(max=len(INCOME_SOURCES)))
    productive_assets = Yuan(allow_none=True, maximum=10_000_000)
    outside_debt = Yuan(allow_none=True, maximum=10_000_000)
    guarantees = fields.Nested(GuaranteesSchema)
    skills_training = fields.Boolean(allow_none=True)
    cooperative_member = fields.Boolean(allow_none=True)
    bad_credit_flag = fields.Boolean(load_default=False)
    monitoring_events = fields.List(fields.Nested(MonitoringEventSchema),
                                    validate=validate.Length(max=100))


class HouseholdPatchSchema(HouseholdInSchema):
    """Monitoring events are appended through their own endpoint, never rewritten."""

    class Meta:
        exclude = ("monitoring_events",)


class HouseholdSchema(Schema):
    """A household file as returned: name, ID number and phone masked."""

    id = fields.String()
    head_name = fields.String(attribute="head_name_masked", metadata={"example": "张*"})
    id_number = fields.String(attribute="id_number_masked",
                              metadata={"example": "440524********0014"})
    phone = fields.String(attribute="phone_masked", allow_none=True,
                          metadata={"example": "138****5678"})
    head_birth_date = fields.Date()
    town = fields.String()
    village = fields.String()
    status = fields.String()
    lifted_year = fields.Integer(dump_only=True, allow_none=True)
    head_labour_capable = fields.Boolean(allow_none=True)
    members = fields.List(fields.Nested(MemberSchema))
    per_capita_income = Fen(attribute="per_capita_income_fen", allow_none=True)
    income_sources = fields.List(fields.String())
    productive_assets = Fen(attribute="productive_assets_fen", allow_none=True)
    outside_debt = Fen(attribute="outside_debt_fen", allow_none=True)
    guarantees = fields.Method("_guarantees", metadata={"type": "object"})
    skills_training = fields.Boolean(allow_none=True)
    cooperative_member = fields.Boolean(allow_none=True)
    bad_credit_flag = fields.Boolean()
    monitoring_events = fields.List(fields.Nested(MonitoringEventSchema), attribute="events")
    created_at = fields.DateTime()
    updated_at = fields.DateTime()

    def _guarantees(self, h) -> dict:
        return {k: getattr(h, f"{k}_secure") for k in GuaranteesSchema().fields}


class HouseholdQuerySchema(Schema):
    """Filters of the household listing."""

    town = fields.String(validate=validate.OneOf(TOWNS))
    village = Code(max_length=64)
    status = fields.String(validate=validate.OneOf(STATUSES))


class RevealInSchema(Schema):
    """Why the officer needs the clear values (kept in the audit trail)."""

    reason = FreeText(required=True, min_length=8, max_length=200, metadata={
        "description": "why the clear values are needed: at least 8 characters, with words"})


class RevealSchema(Schema):
    """The head's personal data in clear."""

    id = fields.String()
    head_name = fields.String()
    id_number = fields.String()
    phone = fields.String(allow_none=True)
