"""Rows of the village campaign made directly (surveys, ratings, credit lines), for the lists.

The survey import, the rating service and the campaign's grant are their own services; a test
of the lists starts from the rows they leave.
"""

from datetime import timedelta

import factory

from creditsvc.infra.extensions import db
from models import CreditLine, Household, HouseholdSurvey, Rating
from tests.factories import HouseholdRowFactory, ModelFactory, UserFactory
from tests.today import TODAY

LINES = {"AAA": 5_000_000, "AA": 3_000_000, "A": 1_000_000}


class SurveyFactory(ModelFactory):
    """A household's survey sheet: willing to borrow ¥20,000 for planting over 12 months."""

    class Meta:
        model = HouseholdSurvey

    household_id = factory.LazyFunction(lambda: HouseholdRowFactory().id)
    willing = True
    intended_amount_fen = 2_000_000
    purpose = "planting"
    term_months = 12
    surveyor = "调查员"
    surveyed_on = TODAY - timedelta(days=60)


class RatingFactory(ModelFactory):
    """A rating of a household (grade AA unless told), as the rating service stores one."""

    class Meta:
        model = Rating

    household_id = factory.LazyFunction(lambda: HouseholdRowFactory().id)
    requested_amount_fen = 2_000_000
    term_months = 12
    purpose = "planting"
    decision = "approved"
    grade = "AA"
    score = 75.0
    pd = 0.03
    line_fen = factory.LazyAttribute(lambda o: LINES.get(o.grade, 0))
    policy_version = 1
    model_sha256 = "0" * 64
    record = factory.LazyFunction(lambda: {"made_by": "tests"})  # not a replayable rating
    rated_by = factory.LazyFunction(lambda: UserFactory(name="factory-officer").id)
    rated_on = TODAY - timedelta(days=40)


class CreditLineFactory(ModelFactory):
    """A granted line of the rating's grade, valid two years from its grant (30 days ago)."""

    class Meta:
        model = CreditLine
        exclude = ("rating",)

    rating = factory.SubFactory(RatingFactory, household_id=factory.SelfAttribute("..household_id"),
                                grade=factory.SelfAttribute("..grade"))
    household_id = factory.LazyFunction(lambda: HouseholdRowFactory().id)
    # Granted where its household is (as the campaign's grant writes it).
    town = factory.LazyAttribute(lambda o: db.session.get(Household, o.household_id).town)
    village = factory.LazyAttribute(lambda o: db.session.get(Household, o.household_id).village)
    rating_id = factory.SelfAttribute("rating.id")
    grade = "AA"
    line_fen = factory.LazyAttribute(lambda o: LINES[o.grade])
    granted_on = TODAY - timedelta(days=30)
    valid_from = factory.SelfAttribute("granted_on")
    valid_until = factory.LazyAttribute(lambda o: o.valid_from.replace(year=o.valid_from.year + 2)
                                        - timedelta(days=1))
    status = "active"
    policy_version = 1
    model_sha256 = "0" * 64
    granted_by = factory.LazyFunction(lambda: UserFactory(name="factory-officer").id)


def rated(town: str = "渔湖镇", village: str = "东湖村", *, willing: bool | None = True,
          name: str = "陈*", **line) -> str:
    """A household of TOWN/VILLAGE with a survey (WILLING; None: no survey) and a granted line
    (LINE: the CreditLine's fields); its id."""
    household = HouseholdRowFactory(town=town, village=village, head_name_masked=name)
    if willing is not None:
        SurveyFactory(household_id=household.id, willing=willing)
    CreditLineFactory(household_id=household.id, **line)
    return household.id
