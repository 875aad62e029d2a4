"""公示: post the campaign's list for the policy's notice period, and hear objections.

The notice runs from the business date it is posted through `notice_until` = that date +
the policy's notice_days (the list stays up notice_days full days after the day it went
up). An objection names who raised it (a villager: encrypted, shown masked), what it says
and, later, how it was resolved: upheld (the household's line lowered or removed) or
dismissed, by whom and when. Lines are granted only once none is open (grant.py).
"""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.money import MoneyError, to_fen
from creditsvc.core.pii import PiiCipher, mask_name
from creditsvc.core.principal import Principal
from creditsvc.services.campaign.campaigns import advance, get_campaign
from creditsvc.services.campaign.committee import not_rated
from creditsvc.services.platform import audit
from creditsvc.services.programme.policy import active_policy
from models import Campaign, CampaignEntry, CampaignObjection, Household, Rating
from models.base import utcnow

OUTCOMES = ("dismissed", "adjust", "remove")


def start_notice(session: Session, actor: Principal, campaign_id: str, today: date) -> Campaign:
    """Post the list (公示) from TODAY; every household must have the committee's view."""
    campaign = get_campaign(session, actor, campaign_id, lock=True)
    if campaign.status != "rated":
        raise not_rated(campaign)
    missing = session.execute(select(func.count()).select_from(CampaignEntry).where(
        CampaignEntry.campaign_id == campaign.id, CampaignEntry.rating_id.is_not(None),
        CampaignEntry.committee_view.is_(None))
    ).scalar_one()
    if missing:
        raise Conflict("committee_views_missing", count=missing)
    until = today + timedelta(days=active_policy(session).notice_days)
    advance(session, campaign, ("rated",), {"status": "notice", "notice_from": today,
                                            "notice_until": until}, not_rated(campaign))
    audit.record(session, actor, "campaign.notice", target_type="campaign",
                 target_id=campaign.id, after={"status": "notice", "notice_from": today.isoformat(),
                                               "notice_until": until.isoformat()})
    return campaign


def notice_list(session: Session, campaign_id: str) -> list[tuple]:
    """What 公示 shows: (entry, household, grade) of the households proposed a line, by village."""
    return session.execute(
        select(CampaignEntry, Household, Rating.grade)
        .join(Household, Household.id == CampaignEntry.household_id)
        .join(Rating, Rating.id == CampaignEntry.rating_id)
        .where(CampaignEntry.campaign_id == campaign_id, CampaignEntry.proposed_line_fen > 0)
        .order_by(Household.village, Household.created_at, Household.id)).all()


def objections(session: Session, campaign_id: str) -> list[tuple]:
    """The campaign's objections with the masked name of the household each is about."""
    return session.execute(
        select(CampaignObjection, Household.head_name_masked)
        .outerjoin(CampaignEntry, CampaignEntry.id == CampaignObjection.entry_id)
        .outerjoin(Household, Household.id == CampaignEntry.household_id)
        .where(CampaignObjection.campaign_id == campaign_id)
        .order_by(CampaignObjection.created_at, CampaignObjection.id)).all()


def _in_notice(campaign: Campaign) -> Conflict:
    return Conflict("campaign_not_in_notice", number=campaign.number)


def raise_objection(session: Session, actor: Principal, cipher: PiiCipher, campaign_id: str, *,
                    raised_by: str, content: str, entry_id: str | None, today: date
                    ) -> CampaignObjection:
    """Record an objection heard during 公示 (about one household on the list, or the list)."""
    campaign = get_campaign(session, actor, campaign_id)
    if campaign.status != "notice":
        raise _in_notice(campaign)
    if entry_id is not None and session.execute(select(CampaignEntry.id).where(
            CampaignEntry.id == entry_id, CampaignEntry.campaign_id == campaign.id)
    ).scalar_one_or_none() is None:
        raise Invalid("committee_household_unknown", fields=("entry_id",))
    objection = CampaignObjection(
        campaign_id=campaign.id, entry_id=entry_id, raised_by_enc=cipher.encrypt(raised_by),
        raised_by_masked=mask_name(raised_by), raised_on=today, content=content,
        recorded_by=actor.user_id, status="open")
    session.add(objection)
    session.flush()
    # The objector's name is personal data: the trail keeps its mask only.
    audit.record(session, actor, "campaign.objection", target_type="campaign",
                 target_id=campaign.id, after={"objection": objection.id, "entry": entry_id,
                                               "raised_by": objection.raised_by_masked,
                                               "content": content})
    return objection


def resolve_objection(session: Session, actor: Principal, campaign_id: str, objection_id: str, *,
                      outcome: str, resolution: str, line: Decimal | None = None
                      ) -> CampaignObjection:
    """Resolve an open objection: dismissed, or upheld by adjusting or removing the line."""
    campaign = get_campaign(session, actor, campaign_id, lock=True)
    if campaign.status != "notice":
        raise _in_notice(campaign)
    objection = session.get(CampaignObjection, objection_id)
    if objection is None or objection.campaign_id != campaign.id:
        raise NotFound("objection_not_found")
    if objection.status != "open":
        raise Conflict("objection_resolved")
    entry = session.get(CampaignEntry, objection.entry_id) if objection.entry_id else None
    before = {"status": "open"}
    if outcome in ("adjust", "remove"):
        if entry is None:
            raise Invalid("objection_needs_household", fields=("outcome",))
        before["proposed_line_fen"] = entry.proposed_line_fen
        entry.proposed_line_fen = 0 if outcome == "remove" else _adjusted(entry, line)
    objection.status = "dismissed" if outcome == "dismissed" else "upheld"
    objection.resolution = resolution
    objection.resolved_by = actor.user_id
    objection.resolved_at = utcnow()
    session.flush()
    audit.record(session, actor, "campaign.objection.resolve", target_type="campaign",
                 target_id=campaign.id, before=before,
                 after={"objection": objection.id, "status": objection.status,
                        "outcome": outcome, "resolution": resolution,
                        "proposed_line_fen": entry.proposed_line_fen if entry else None})
    return objection


def _adjusted(entry: CampaignEntry, line: Decimal | None) -> int:
    """The lowered line of an upheld objection: above 0, at most the line posted."""
    current = entry.proposed_line_fen or 0
    try:
        fen = to_fen(line) if line is not None else None
    except MoneyError:
        fen = None
    if fen is None or not 0 < fen <= current:
        raise Invalid("objection_line_invalid", fields=("line",),
                      line=f"{Decimal(current) / 100:.2f}")
    return fen


def open_objections(session: Session, campaign_id: str) -> int:
    """How many of the campaign's objections are still open."""
    return session.execute(select(func.count()).select_from(CampaignObjection).where(
        CampaignObjection.campaign_id == campaign_id, CampaignObjection.status == "open")
    ).scalar_one()
