"""The sign-in and password forms, validated with marshmallow like every other input."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from creditsvc.core.refusals import said
from creditsvc.services.access.accounts import MAX_LENGTH, MIN_LENGTH, password_problem


class SignInSchema(Schema):
    """Username and password."""

    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=MAX_LENGTH))
    next = fields.String(load_default=None)


class ChangePasswordSchema(Schema):
    """The current password, the new one twice."""

    current_password = fields.String(required=True, validate=validate.Length(max=MAX_LENGTH))
    new_password = fields.String(required=True)
    confirm_password = fields.String(required=True)

    @validates_schema
    def _strong_and_repeated(self, data, **kwargs):
        # The service checks the username as well (services/access/accounts.set_password).
        if problem := password_problem(data["new_password"]):
            raise ValidationError(said(problem, least=MIN_LENGTH, most=MAX_LENGTH),
                                  field_name="new_password")
        if data["new_password"] != data["confirm_password"]:
            raise ValidationError(said("passwords_differ"), field_name="confirm_password")
