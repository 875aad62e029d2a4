"""Bare extension objects; create_app binds them to the app."""

from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from creditsvc.core.errors import error_payload
from creditsvc.schemas.openapi import ErrorResponses, ErrorSchema
from models.base import Base


class CreditApi(Api):
    """flask-smorest's Api with the service's one error format, documented on every operation."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        """Render any HTTP error as {status, code, message, errors}."""
        return error_payload(error)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = CreditApi(spec_kwargs={"extra_plugins": [ErrorResponses()]})
