"""授信: grant the campaign's credit lines once 公示 has ended with no objection open.

Each household the committee agreed (or lowered), still proposed a line after 公示, gets a
CreditLine: its rating's grade, the proposed line, valid from the business date for the
policy's credit_line_years, with the policy and model versions of its rating. A household
that already holds an active line (an earlier campaign) keeps it as history: the old line
is marked `replaced`, naming the new one in `replaced_by`.

Two grants of one campaign give one set of lines: the campaign moves notice → granted by a
conditional UPDATE first, so the second finds it granted and is refused; and the partial
unique index on active lines holds one per household whatever happens.
"""

from datetime import date

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.campaign.campaigns import advance, get_campaign
from creditsvc.services.campaign.notice import open_objections
from creditsvc.services.platform import audit
from creditsvc.services.programme.policy import active_policy
from lending.credit_lines import grantable, notice_ended, valid_until
from models import Campaign, CampaignEntry, CreditLine, Household, Rating
from models.base import new_id, utcnow


def grant(session: Session, actor: Principal, campaign_id: str, today: date) -> Campaign:
    """Grant the campaign's lines (the officer's confirmation after 公示)."""
    campaign = get_campaign(session, actor, campaign_id)
    if campaign.status == "granted":
        raise Conflict("campaign_granted", number=campaign.number)
    if campaign.status != "notice":
        raise Conflict("campaign_not_in_notice", number=campaign.number)
    if not notice_ended(today, campaign.notice_until):
        raise Conflict("notice_not_ended", until=campaign.notice_until.isoformat())
    if count := open_objections(session, campaign.id):
        raise Conflict("objections_open", count=count)
    advance(session, campaign, ("notice",),
            {"status": "granted", "granted_on": today, "granted_by": actor.user_id},
            Conflict("campaign_granted", number=campaign.number))
    rows = session.execute(
        select(CampaignEntry.household_id, CampaignEntry.committee_view,
               CampaignEntry.proposed_line_fen, Rating.id, Rating.grade, Rating.borrower_member_id,
               Rating.policy_version, Rating.model_sha256, Household.town, Household.village)
        .join(Rating, Rating.id == CampaignEntry.rating_id)
        .join(Household, Household.id == CampaignEntry.household_id)
        .where(CampaignEntry.campaign_id == campaign.id)).all()
    years = active_policy(session).credit_line_years
    lines = [{"id": new_id(), "household_id": h, "town": town, "village": village,
              "rating_id": rid, "campaign_id": campaign.id, "borrower_member_id": member,
              "grade": grade, "line_fen": line,
              "valid_from": today, "valid_until": valid_until(today, years), "status": "active",
              "policy_version": policy, "model_sha256": sha, "granted_by": actor.user_id,
              "granted_on": today}
             for h, view, line, rid, grade, member, policy, sha, town, village in rows
             if grantable(view, grade, line)]
    replaced = put_lines(session, lines)
    campaign.lines_count = len(lines)
    session.flush()
    audit.record(session, actor, "campaign.grant", target_type="campaign", target_id=campaign.id,
                 after={"status": "granted", "granted_on": today.isoformat(),
                        "lines": len(lines), "replaced": replaced,
                        "line_fen_total": sum(x["line_fen"] for x in lines)})
    return campaign


def put_lines(session: Session, lines: list[dict]) -> int:
    """Insert LINES (CreditLine columns), replacing each household's active line; how many replaced.

    The old line leaves `active` before the new one is written (one active line per
    household, a partial unique index), then names its successor.
    """
    if not lines:
        return 0
    table = CreditLine.__table__
    new_of = {x["household_id"]: x["id"] for x in lines}
    old = session.execute(select(table.c.id, table.c.household_id).where(
        table.c.status == "active", table.c.household_id.in_(list(new_of)))).all()
    if old:
        session.execute(update(table).where(table.c.id == bindparam("old")).values(
            status="replaced", updated_at=utcnow()),
            [{"old": line_id} for line_id, _ in old])
    now = utcnow()
    session.execute(insert(table), [{**x, "created_at": now, "updated_at": now} for x in lines])
    if old:
        session.execute(update(table).where(table.c.id == bindparam("old")).values(
            replaced_by=bindparam("new")),
            [{"old": line_id, "new": new_of[h]} for line_id, h in old])
    return len(old)


def line_history(session: Session, household_id: str) -> list[tuple[CreditLine, str | None]]:
    """The household's credit lines with their campaign's number, newest first (the active
    one, then each it replaced)."""
    return list(session.execute(
        select(CreditLine, Campaign.number).outerjoin(Campaign, Campaign.id == CreditLine.campaign_id)
        .where(CreditLine.household_id == household_id)
        .order_by(CreditLine.created_at.desc(), CreditLine.id.desc())).tuples())
