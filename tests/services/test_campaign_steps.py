"""The village campaign step by step: open, rate, the committee's view, 公示, objections, grant."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from creditsvc.core.errors import AppError
from creditsvc.core.pii import PiiCipher
from creditsvc.services.campaign import campaigns, committee, grant, notice, rate
from creditsvc.services.campaign.committee import View
from models import AuditEvent, Campaign, CampaignEntry, CampaignObjection, CreditLine
from tests.campaign_scenario import fake_rate, officer_of, surveyed
from tests.work import done

TODAY = date(2026, 11, 2)
CIPHER = PiiCipher("campaign-tests-key")


def refused(code, fn, *args, **kwargs):
    with pytest.raises(AppError) as caught:
        fn(*args, **kwargs)
    assert caught.value.code == code, caught.value.code
    return caught.value


@pytest.fixture
def officer(session):
    return officer_of(session, "渔湖镇/东湖村")


def opened(session, officer, village="东湖村"):
    return done(session, campaigns.open_campaign, officer, town="渔湖镇", village=village,
                today=TODAY)


def rated(session, officer, grades=None, refuse=frozenset()):
    campaign = opened(session, officer)
    done(session, rate.rate_campaign, officer, campaign.id, today=TODAY,
         rate=fake_rate(grades, refuse))
    return session.get(Campaign, campaign.id)


def views_for(session, campaign, view="agree"):
    return [View(e.id, view, None, "理由" if view != "agree" else None)
            for e, _, _ in committee.entries(session, campaign.id)]


def in_notice(session, officer, grades=None):
    campaign = rated(session, officer, grades)
    done(session, committee.record_views, officer, campaign.id, views_for(session, campaign))
    done(session, notice.start_notice, officer, campaign.id, TODAY)
    return session.get(Campaign, campaign.id)


def test_opening_lists_the_willing_surveyed_households_of_the_area(session, officer):
    mine = surveyed(session, 3)
    surveyed(session, 2, willing=False)
    surveyed(session, 2, village="西田村")
    campaign = opened(session, officer)
    assert campaign.number == "PJ-2026-000001" and campaign.status == "open"
    listed = session.execute(select(CampaignEntry.household_id)
                             .where(CampaignEntry.campaign_id == campaign.id)).scalars().all()
    assert sorted(listed) == sorted(mine)
    assert session.execute(select(AuditEvent.action).where(
        AuditEvent.target_id == campaign.id)).scalars().all() == ["campaign.open"]


def test_opening_is_refused_outside_the_area_without_households_or_twice(session, officer):
    surveyed(session, 2)
    surveyed(session, 1, village="西田村")
    refused("campaign_outside_area", opened, session, officer, "西田村")
    refused("campaign_outside_area", done, session, campaigns.open_campaign, officer,
            town="渔湖镇", village=None, today=TODAY)
    empty = officer_of(session, "地都镇", name="officer-empty")
    refused("campaign_no_households", done, session, campaigns.open_campaign, empty,
            town="地都镇", village=None, today=TODAY)
    opened(session, officer)
    refused("campaign_area_busy", opened, session, officer)
    # Another officer's area sees nothing of it.
    assert campaigns.list_campaigns(session, empty).items == []


def test_rating_puts_each_rating_and_its_line_on_the_list(session, officer):
    ids = surveyed(session, 3)
    campaign = rated(session, officer, {ids[0]: "AAA", ids[1]: None}, refuse={ids[2]})
    assert (campaign.status, campaign.rated_on, campaign.policy_version) == ("rated", TODAY, 1)
    by_household = {e.household_id: (r and r.grade, e.proposed_line_fen)
                    for e, r, _ in committee.entries(session, campaign.id)}
    assert by_household == {ids[0]: ("AAA", 5_000_000), ids[1]: (None, 0), ids[2]: (None, None)}
    refused("campaign_not_open", done, session, rate.rate_campaign, officer, campaign.id,
            today=TODAY, rate=fake_rate())


def test_committee_views_are_checked_whole_and_saved_whole(session, officer):
    ids = surveyed(session, 3)
    campaign = rated(session, officer)
    listed = {e.household_id: e.id for e, _, _ in committee.entries(session, campaign.id)}
    bad = [View(listed[ids[0]], "lower", Decimal("40000"), "收入下降"),  # not lower than 30,000
           View(listed[ids[1]], "disagree", None, None),                 # no reason
           View(listed[ids[2]], "agree", Decimal("1000"), None)]        # a line with 同意
    error = refused("committee_views_invalid", done, session, committee.record_views, officer,
                    campaign.id, bad)
    assert {k: sorted(v) for k, v in error.details.items()} == {
        listed[ids[0]]: ["line"], listed[ids[1]]: ["note"], listed[ids[2]]: ["line"]}
    assert error.details[listed[ids[0]]]["line"][0].code == "committee_line_not_lower"
    assert session.execute(select(CampaignEntry.committee_view)
                           .where(CampaignEntry.committee_view.is_not(None))).all() == []
    good = [View(listed[ids[0]], "lower", Decimal("20000"), "收入下降"),
            View(listed[ids[1]], "disagree", None, "外出务工"), View(listed[ids[2]], "agree")]
    assert done(session, committee.record_views, officer, campaign.id, good) == 3
    proposed = {e.household_id: (e.committee_view, e.proposed_line_fen)
                for e, _, _ in committee.entries(session, campaign.id)}
    assert proposed == {ids[0]: ("lower", 2_000_000), ids[1]: ("disagree", 0),
                        ids[2]: ("agree", 3_000_000)}


def test_notice_needs_every_view_and_runs_the_policys_days(session, officer):
    ids = surveyed(session, 2)
    campaign = rated(session, officer)
    refused("campaign_not_in_notice", done, session, grant.grant, officer, campaign.id, TODAY)
    first = committee.entries(session, campaign.id)[0][0]
    done(session, committee.record_views, officer, campaign.id, [View(first.id, "agree")])
    error = refused("committee_views_missing", done, session, notice.start_notice, officer,
                    campaign.id, TODAY)
    assert error.params == {"count": 1}
    done(session, committee.record_views, officer, campaign.id, views_for(session, campaign))
    campaign = done(session, notice.start_notice, officer, campaign.id, TODAY)
    assert (campaign.notice_from, campaign.notice_until) == (TODAY, TODAY + timedelta(days=7))
    assert len(notice.notice_list(session, campaign.id)) == len(ids)
    refused("campaign_not_rated", done, session, committee.record_views, officer, campaign.id,
            views_for(session, campaign, "disagree"))


def test_objections_are_heard_and_resolved_with_who_and_when(session, officer):
    ids = surveyed(session, 3)
    campaign = in_notice(session, officer)
    entry = {e.household_id: e.id for e, _, _ in committee.entries(session, campaign.id)}
    heard = [done(session, notice.raise_objection, officer, CIPHER, campaign.id, raised_by=who,
                  content=what, entry_id=entry[h], today=TODAY)
             for who, what, h in (("林小红", "该户在外有稳定工资", ids[0]),
                                  ("陈大明", "该户已搬离本村", ids[1]),
                                  ("黄阿姨", "该户不符合条件", ids[2]))]
    assert heard[0].raised_by_masked == "林**" and CIPHER.decrypt(heard[0].raised_by_enc) == "林小红"
    refused("objections_open", done, session, grant.grant, officer, campaign.id,
            TODAY + timedelta(days=8))
    refused("objection_line_invalid", done, session, notice.resolve_objection, officer,
            campaign.id, heard[0].id, outcome="adjust", resolution="核实", line=Decimal("40000"))
    done(session, notice.resolve_objection, officer, campaign.id, heard[0].id,
         outcome="adjust", resolution="核实有工资收入，额度降为一万", line=Decimal("10000"))
    done(session, notice.resolve_objection, officer, campaign.id, heard[1].id,
         outcome="remove", resolution="核实已迁出")
    done(session, notice.resolve_objection, officer, campaign.id, heard[2].id,
         outcome="dismissed", resolution="经核实符合条件")
    refused("objection_resolved", done, session, notice.resolve_objection, officer,
            campaign.id, heard[2].id, outcome="dismissed", resolution="again")
    rows = session.execute(select(CampaignObjection.status, CampaignObjection.resolved_by)
                           .order_by(CampaignObjection.created_at)).all()
    assert rows == [("upheld", officer.user_id), ("upheld", officer.user_id),
                    ("dismissed", officer.user_id)]
    posted = {e.household_id: e.proposed_line_fen for e, _, _ in notice.notice_list(session, campaign.id)}
    assert posted == {ids[0]: 1_000_000, ids[2]: 3_000_000}  # the removed one is off the list


def test_grant_waits_for_the_notice_then_gives_each_agreed_household_its_line(session, officer):
    ids = surveyed(session, 3)
    campaign = rated(session, officer, {ids[2]: None})
    views = views_for(session, campaign)
    entry = {e.household_id: e.id for e, _, _ in committee.entries(session, campaign.id)}
    views = [v for v in views if v.entry_id != entry[ids[1]]] + [
        View(entry[ids[1]], "disagree", None, "不愿贷款")]
    done(session, committee.record_views, officer, campaign.id, views)
    done(session, notice.start_notice, officer, campaign.id, TODAY)
    last_day = TODAY + timedelta(days=7)
    error = refused("notice_not_ended", done, session, grant.grant, officer, campaign.id, last_day)
    assert error.params == {"until": last_day.isoformat()}
    granted_on = last_day + timedelta(days=1)
    done(session, grant.grant, officer, campaign.id, granted_on)
    lines = session.execute(select(CreditLine)).scalars().all()
    assert [(x.household_id, x.grade, x.line_fen, x.status) for x in lines] == [
        (ids[0], "AA", 3_000_000, "active")]
    assert (lines[0].valid_from, lines[0].valid_until) == (granted_on, date(2028, 11, 9))
    assert (lines[0].policy_version, lines[0].model_sha256) == (1, "f" * 64)
    refused("campaign_granted", done, session, grant.grant, officer, campaign.id, granted_on)
    campaign = session.get(Campaign, campaign.id)
    assert campaigns.counts(campaign) == {"households": 3, "rated": 3, "viewed": 3, "granted": 1}
    actions = session.execute(select(AuditEvent.action).where(
        AuditEvent.target_id == campaign.id).order_by(AuditEvent.seq)).scalars().all()
    assert actions == ["campaign.open", "campaign.rate", "campaign.committee",
                       "campaign.notice", "campaign.grant"]


def test_a_rerating_replaces_the_line_and_keeps_its_history(session, officer):
    ids = surveyed(session, 1)
    first = in_notice(session, officer)
    done(session, grant.grant, officer, first.id, TODAY + timedelta(days=8))
    later = TODAY + timedelta(days=200)
    second = done(session, campaigns.open_campaign, officer, town="渔湖镇", village="东湖村",
                  today=later)
    done(session, rate.rate_campaign, officer, second.id, today=later,
         rate=fake_rate({ids[0]: "AAA"}))
    done(session, committee.record_views, officer, second.id, views_for(session, second))
    done(session, notice.start_notice, officer, second.id, later)
    done(session, grant.grant, officer, second.id, later + timedelta(days=8))
    (new, new_number), (old, old_number) = grant.line_history(session, ids[0])
    assert (new_number, old_number) == (second.number, first.number)
    assert (new.status, new.grade, new.line_fen, new.campaign_id) == ("active", "AAA", 5_000_000,
                                                                      second.id)
    assert (old.status, old.replaced_by, old.campaign_id) == ("replaced", new.id, first.id)


def test_the_villages_of_a_town_are_found_by_seeks(session):
    for village in ("西田村", "东湖村", "东湖村", "南山村"):
        surveyed(session, 1, village=village)
    surveyed(session, 1, town="地都镇", village="北岭村")
    assert campaigns.villages_of(session, "渔湖镇") == ["东湖村", "南山村", "西田村"]


def test_a_cancelled_campaign_frees_its_area(session, officer):
    surveyed(session, 1)
    campaign = opened(session, officer)
    done(session, campaigns.cancel_campaign, officer, campaign.id, TODAY)
    refused("campaign_closed", done, session, campaigns.cancel_campaign, officer, campaign.id,
            TODAY)
    assert opened(session, officer).number == "PJ-2026-000002"
