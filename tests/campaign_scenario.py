"""A village campaign's starting state: an officer of the area, surveyed households, ratings.

Ratings here are rows made directly (RatingFactory), in the place of the scorer, so that the
campaign's own steps are tested on lines known in advance; the real scorer's campaign run is
tested in tests/jobs/test_campaign_job.py.
"""

from dataclasses import dataclass, field
from datetime import date

import factory

from creditsvc.core.principal import Principal
from creditsvc.services.access import areas, users
from tests.campaign_books import LINES as BOOK_LINES
from tests.campaign_books import RatingFactory as BookRatingFactory
from tests.campaign_books import SurveyFactory as BookSurveyFactory
from tests.conftest import ACTOR
from tests.factories import HouseholdRowFactory, UserFactory
from tests.work import done

# A line per grade, as the default policy's grade limits (yuan × 100); an unrated one has none.
LINES = {**BOOK_LINES, None: 0}


class SurveyFactory(BookSurveyFactory):
    """A household's survey sheet: willing to borrow ¥20,000 for planting over 24 months."""

    term_months = 24
    surveyor = "林干部"
    surveyed_on = date(2026, 10, 20)


class RatingFactory(BookRatingFactory):
    """A rating row as the scorer would store it (grade, score and the grade's line)."""

    term_months = 24
    score = 74.0
    model_sha256 = "f" * 64
    rated_by = factory.LazyFunction(lambda: UserFactory().id)
    rated_on = date(2026, 11, 2)


@dataclass
class FakeBatch:
    refused: dict = field(default_factory=dict)


def fake_rate(grades: dict[str, str | None] | None = None, refuse: set[str] = frozenset()):
    """A stand-in for rate_households: each household rated GRADES[id] (AA by default)."""

    def rate(session, household_ids, *, actor, on, campaign_id):
        out = FakeBatch()
        for h in household_ids:
            if h in refuse:
                out.refused[h] = "survey_amount_missing"
                continue
            grade = (grades or {}).get(h, "AA")
            RatingFactory(household_id=h, campaign_id=campaign_id, grade=grade,
                          decision="approved" if grade else "declined",
                          rated_by=actor.user_id, rated_on=on)
        return out

    return rate


def officer_of(session, *area_keys: str, name: str = "officer-campaign") -> Principal:
    """An officer assigned AREA_KEYS (渔湖镇, or 渔湖镇/东湖村)."""
    user, _ = done(session, users.create_user, ACTOR, name, "officer")
    done(session, areas.assign, ACTOR, user.id, [areas.Area.parse(k) for k in area_keys])
    return Principal(user.id, user.name, "officer")


def surveyed(session, n: int, *, town: str = "渔湖镇", village: str = "东湖村",
             willing: bool = True) -> list[str]:
    """N households of TOWN/VILLAGE with a survey sheet; their ids."""
    ids = [SurveyFactory(household_id=HouseholdRowFactory(town=town, village=village).id,
                         willing=willing).household_id for _ in range(n)]
    session.commit()
    return ids
