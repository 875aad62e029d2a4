"""Household files for page tests: opened through the service, as a given officer."""

from datetime import date

from flask import current_app

from creditsvc.core.principal import Principal
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files as households
from tests.factories import HouseholdFactory
from tests.today import TODAY
from tests.work import done


def principal(person) -> Principal:
    """The person as the acting principal of a service call."""
    return Principal(person.user_id, person.name, person.role, person.bank)


def open_file(person, **overrides) -> str:
    """A household file opened by PERSON (an officer) from the factory's payload; its id."""
    data = HouseholdInSchema().load(HouseholdFactory(**overrides))
    cipher = current_app.extensions["creditsvc.core.pii"]
    household = done(db.session, households.create_household, principal(person), cipher, data)
    household_id = household.id
    db.session.close()
    return household_id


def add_shock(person, household_id: str, occurred_on: date, kind: str = "serious_illness") -> None:
    """A shock in the household's monitoring record, dated OCCURRED_ON."""
    done(db.session, households.add_monitoring_event, principal(person), household_id, kind,
         occurred_on, None, today=max(occurred_on, TODAY))
    db.session.close()
