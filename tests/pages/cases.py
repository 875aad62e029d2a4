"""Household files and applications for the application and review pages (client and browser)."""

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from creditsvc.core.principal import Principal
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files as households
from creditsvc.services.loans import applications
from models import Application
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory
from tests.work import done

FORM = {"amount": "20000.00", "term_months": "12", "purpose": "planting", "bank": "PSBC"}


def household(**overrides) -> tuple[str, str]:
    """A household file made through the service with the app's key: (its id, its ID number)."""
    payload = HouseholdFactory(**overrides)
    made = done(db.session, households.create_household, ACTOR,
                current_app.extensions["creditsvc.core.pii"], HouseholdInSchema().load(payload))
    made_id = made.id
    db.session.close()  # hold no transaction: a live server writes to the same database
    return made_id, payload["id_number"]


def shocked_household() -> str:
    """A household with a serious illness last month: its applications are referred."""
    month_ago = (clock.today() - timedelta(days=30)).isoformat()
    return household(monitoring_events=[{"kind": "serious_illness", "occurred_on": month_ago}])[0]


def principal(person) -> Principal:
    """The person as the acting principal of a service call."""
    return Principal(person.user_id, person.name, person.role, person.bank)


def referred_application(person, household_id: str | None = None, **request) -> str:
    """An application PERSON submitted that the machine referred to a person; its id."""
    hid = household_id or shocked_household()
    values = {"amount": Decimal("20000.00"), "term_months": 12, "purpose": "planting",
              "bank": "PSBC", **request}
    made = done(db.session, applications.submit, principal(person), household_id=hid,
                on=clock.today(), **values)
    assert made.status == "referred", made.assessment["decision_reasons"]
    made_id = made.id
    db.session.close()
    return made_id


def count_applications() -> int:
    """How many applications the database holds (read afresh, no transaction left open)."""
    db.session.close()
    count = db.session.execute(select(func.count()).select_from(Application)).scalar_one()
    db.session.close()  # on SQLite even a read holds the write lock (BEGIN IMMEDIATE)
    return count


def application(application_id: str) -> Application:
    """The application as stored now (read afresh; detached, no transaction left open)."""
    db.session.close()
    found = db.session.get(Application, application_id)
    db.session.close()
    return found
