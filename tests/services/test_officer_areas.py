"""Officers work by area: a town covers its villages, a village only itself, none covers nothing."""

from datetime import date

import pytest
from sqlalchemy import select

from creditsvc.core.errors import AppError
from creditsvc.core.principal import Principal
from creditsvc.services.access import areas, users
from creditsvc.services.households.officer_desk import desk_counts
from creditsvc.services.households.search import HouseholdFilter, find_households
from creditsvc.services.loans import applications
from creditsvc.services.loans.villages import village_loans
from models import AuditEvent
from tests.books import set_fund
from tests.conftest import ACTOR
from tests.factories import ApplicationFactory, HouseholdRowFactory, LoanFactory
from tests.work import done

TODAY = date(2026, 6, 30)


@pytest.fixture
def officer(session):
    user, _ = done(session, users.create_user, ACTOR, "officer-area", "officer")
    return Principal(user.id, user.name, "officer")


@pytest.fixture
def zone(session):
    """Loans, files and referred cases in three villages of two towns (东湖村 is in both)."""
    set_fund(session, 50_000_000)
    made = {}
    for town, village in (("渔湖镇", "东湖村"), ("渔湖镇", "西田村"), ("地都镇", "东湖村")):
        made[(town, village)] = LoanFactory(town=town, village=village, days_past_due=40).id
        HouseholdRowFactory(town=town, village=village)
        ApplicationFactory(status="referred", decision="referred",
                           household__town=town, household__village=village)
    session.commit()
    return made


def _assign(session, officer, *keys):
    return done(session, areas.assign, ACTOR, officer.user_id, [areas.Area.parse(k) for k in keys])


def _loans(session, officer):
    return {(loan.town, loan.village) for loan, _ in village_loans(session, officer).items}


def test_an_officer_without_an_area_sees_nothing(session, officer, zone):
    assert areas.areas_of(session, officer.user_id) == []
    assert village_loans(session, officer).items == []
    desk = desk_counts(session, officer, today=TODAY)
    assert (desk.my_households, desk.referred_for_me, sum(desk.overdue_by_class.values())) == (0, 0, 0)
    page = find_households(session, HouseholdFilter(area_of=officer.user_id), today=TODAY)
    assert page.items == []


def test_a_town_covers_all_its_villages_and_no_other_towns(session, officer, zone):
    _assign(session, officer, "渔湖镇")
    assert _loans(session, officer) == {("渔湖镇", "东湖村"), ("渔湖镇", "西田村")}
    desk = desk_counts(session, officer, today=TODAY)
    # Each place has three files: the loan's, the application's and one of its own.
    assert desk.my_households == 6 and desk.referred_for_me == 2
    assert desk.overdue_by_class["关注"] == 2
    queue = applications.list_applications(session, officer, status="referred",
                                           area_of=officer.user_id)
    assert {a.town for a in queue.items} == {"渔湖镇"} and queue.total == 2


def test_a_village_is_named_with_its_town(session, officer, zone):
    _assign(session, officer, "地都镇/东湖村")
    assert _loans(session, officer) == {("地都镇", "东湖村")}  # not 渔湖镇's 东湖村
    page = find_households(session, HouseholdFilter(area_of=officer.user_id), today=TODAY)
    assert {(h.household.town, h.household.village) for h in page.items} == {("地都镇", "东湖村")}


def test_assigning_replaces_the_area_and_is_audited(session, officer, zone):
    _assign(session, officer, "渔湖镇/西田村", "地都镇")
    assert [a.key for a in areas.areas_of(session, officer.user_id)] == ["地都镇", "渔湖镇/西田村"]
    # A village of a town assigned whole is the town's already.
    _assign(session, officer, "渔湖镇", "渔湖镇/东湖村")
    assert [a.key for a in areas.areas_of(session, officer.user_id)] == ["渔湖镇"]
    events = session.execute(select(AuditEvent).where(AuditEvent.action == "user.areas")
                             .order_by(AuditEvent.seq)).scalars().all()
    assert [(e.before["areas"], e.after["areas"]) for e in events] == [
        ([], ["地都镇", "渔湖镇/西田村"]), (["地都镇", "渔湖镇/西田村"], ["渔湖镇"])]
    _assign(session, officer)  # nothing: the officer's area is taken away
    assert village_loans(session, officer).items == []


def test_only_an_officer_gets_an_area_and_only_a_town_of_the_zone(session, officer):
    bank, _ = done(session, users.create_user, ACTOR, "bank-area", "bank", "PSBC")
    with pytest.raises(AppError) as refused:
        _assign(session, Principal(bank.id, bank.name, "bank", "PSBC"), "渔湖镇")
    assert refused.value.code == "not_an_officer"
    with pytest.raises(AppError) as refused:
        _assign(session, officer, "北京市")
    assert refused.value.code == "unknown_town"


def test_a_real_name_is_shown_in_place_of_the_login(session, officer):
    done(session, users.set_display_name, ACTOR, officer.user_id, "李晓明")
    assert users.names_of(session, {officer.user_id}) == {officer.user_id: "李晓明"}
    done(session, users.set_display_name, ACTOR, officer.user_id, None)
    assert users.names_of(session, {officer.user_id}) == {officer.user_id: "officer-area"}
