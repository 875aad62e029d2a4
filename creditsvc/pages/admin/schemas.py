"""The administration forms, validated with marshmallow like every other input."""

from marshmallow import Schema, fields, validate

from creditsvc.core.refusals import said
from creditsvc.core.vocab import BANK_CODES
from creditsvc.schemas.fields import Code, FreeText
from models.user import ROLES

USERNAME = r"^[a-z0-9][a-z0-9._-]{1,62}$"


class UserInSchema(Schema):
    """A new user: a login name, a role, and a bank for a bank user."""

    name = fields.String(required=True, validate=validate.Regexp(
        USERNAME, error=said("username_format")))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    bank_code = fields.String(load_default=None, validate=validate.OneOf(BANK_CODES))
    display_name = FreeText(load_default=None, max_length=64)


class DisplayNameInSchema(Schema):
    """A user's real name (none: the login name is shown)."""

    display_name = FreeText(load_default=None, max_length=64)


class AreasInSchema(Schema):
    """An officer's whole area: towns (渔湖镇) and villages of a town (渔湖镇/东湖村)."""

    areas = fields.List(Code(max_length=100), load_default=list,
                        validate=validate.Length(max=500))


class RoleInSchema(Schema):
    """Another role (and bank) for an existing user."""

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    bank_code = fields.String(load_default=None, validate=validate.OneOf(BANK_CODES))


class PromoteInSchema(Schema):
    """Promote a model: measured on the programme's outcomes, or forced with a reason."""

    version = Code(required=True, max_length=64)
    force = fields.Boolean(load_default=False)
    reason = FreeText(load_default=None, min_length=8, max_length=200)
