"""Campaigns per village or town: open one in the officer's area, read, list, cancel.

A campaign lists every surveyed household of its area that is willing to borrow, as one
CampaignEntry each, when it opens; later steps fill the entries (rating, committee view,
the line posted and granted). At most one live campaign (open, rated or in 公示) covers a
village at a time, so a household is never on two lists that could both grant it a line.
"""

from datetime import date

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound
from creditsvc.core.principal import Principal
from creditsvc.services.access.areas import Area, areas_of, in_area
from creditsvc.services.loans.numbers import next_number
from creditsvc.services.platform import audit
from creditsvc.services.platform.paging import Page, paginate
from models import Campaign, CampaignEntry, Household, HouseholdSurvey
from models.base import new_id

SERIES = "PJ"
LIVE = ("open", "rated", "notice")


def covers(areas: list[Area], town: str, village: str | None) -> bool:
    """Whether AREAS hold the campaign area (a town-wide campaign needs the whole town)."""
    return any(a.town == town and (a.village is None or a.village == village) for a in areas)


def area_label(campaign: Campaign) -> str:
    """渔湖镇 东湖村, or 渔湖镇 for a town-wide campaign."""
    return campaign.town if campaign.village is None else f"{campaign.town} {campaign.village}"


def visible(actor: Principal):
    """The campaigns in the actor's area (a clause)."""
    return in_area(actor.user_id, Campaign.town, Campaign.village)


def get_campaign(session: Session, actor: Principal, campaign_id: str, *,
                 lock: bool = False) -> Campaign:
    """One campaign of the actor's area; 404 for any other (as for files outside it)."""
    query = select(Campaign).where(Campaign.id == campaign_id, visible(actor))
    if lock:
        query = query.with_for_update()
    found = session.execute(query).scalar_one_or_none()
    if found is None:
        raise NotFound("campaign_not_found")
    return found


def list_campaigns(session: Session, actor: Principal, *, status: str | None = None,
                   after: str | None = None, before: str | None = None,
                   page_size: int = 50, count: bool = True) -> Page:
    """A page of the campaigns in the actor's area, oldest first."""
    query = select(Campaign).where(visible(actor))
    if status is not None:
        query = query.where(Campaign.status == status)
    return paginate(session, query, Campaign, after=after, before=before, page_size=page_size,
                    count=count)


def counts(campaign: Campaign) -> dict:
    """The campaign's households listed, rated, viewed by the committee, and lines granted
    (kept on its row by each step)."""
    return {"households": campaign.households_count, "rated": campaign.rated_count,
            "viewed": campaign.viewed_count, "granted": campaign.lines_count}


def villages_of(session: Session, town: str) -> list[str]:
    """The villages TOWN's household files name, in order: a seek on (town, village) for each
    (a loose index scan), so a town of 100,000 files costs its dozen villages, not its files."""
    out: list[str] = []
    while True:
        query = select(func.min(Household.village)).where(Household.town == town)
        if out:
            query = query.where(Household.village > out[-1])
        found = session.execute(query).scalar_one_or_none()
        if found is None:
            return out
        out.append(found)


def willing_households(town: str, village: str | None):
    """The ids of the area's households whose survey says they wish to borrow (a query)."""
    query = (select(Household.id).join(HouseholdSurvey, HouseholdSurvey.household_id == Household.id)
             .where(Household.town == town, HouseholdSurvey.willing.is_(True)))
    if village is not None:
        query = query.where(Household.village == village)
    return query.order_by(Household.village, Household.created_at, Household.id)


def _busy(session: Session, town: str, village: str | None) -> Campaign | None:
    """A live campaign whose area meets TOWN/VILLAGE's."""
    overlap = Campaign.town == town
    if village is not None:
        overlap = and_(overlap, or_(Campaign.village.is_(None), Campaign.village == village))
    return session.execute(select(Campaign).where(overlap, Campaign.status.in_(LIVE))
                           .limit(1)).scalar_one_or_none()


def open_campaign(session: Session, actor: Principal, *, town: str, village: str | None,
                  today: date) -> Campaign:
    """Open a campaign for a town or a village of the actor's area, listing its willing households."""
    label = town if village is None else f"{town} {village}"
    if not covers(areas_of(session, actor.user_id), town, village):
        raise Invalid("campaign_outside_area", fields=("area",), area=label)
    if (live := _busy(session, town, village)) is not None:
        raise Conflict("campaign_area_busy", fields=("area",), area=area_label(live),
                       number=live.number)
    household_ids = list(session.execute(willing_households(town, village)).scalars())
    if not household_ids:
        raise Conflict("campaign_no_households", fields=("area",), area=label)
    campaign = Campaign(number=next_number(session, SERIES, today.year), town=town,
                        village=village, status="open", opened_by=actor.user_id, opened_on=today,
                        households_count=len(household_ids))
    session.add(campaign)
    session.flush()
    session.execute(insert(CampaignEntry), [
        {"id": new_id(), "campaign_id": campaign.id, "household_id": h} for h in household_ids])
    audit.record(session, actor, "campaign.open", target_type="campaign", target_id=campaign.id,
                 after={"number": campaign.number, "town": town, "village": village,
                        "households": len(household_ids)})
    return campaign


def advance(session: Session, campaign: Campaign, from_: tuple[str, ...], values: dict,
            refusal: Conflict) -> None:
    """Move CAMPAIGN on from one of FROM_ with VALUES, or raise REFUSAL.

    A conditional UPDATE: of two concurrent moves of the same step, the second finds the
    status changed (PostgreSQL re-reads the row after the first commits; SQLite's writers
    queue) and is refused, so a step is taken once.
    """
    moved = session.execute(update(Campaign).where(Campaign.id == campaign.id,
                                                   Campaign.status.in_(from_))
                            .values(**values).execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise refusal
    session.refresh(campaign)


def cancel_campaign(session: Session, actor: Principal, campaign_id: str, today: date) -> Campaign:
    """Give up a campaign before its lines are granted (its ratings and views stay on record)."""
    campaign = get_campaign(session, actor, campaign_id)
    before = campaign.status
    advance(session, campaign, LIVE, {"status": "cancelled"},
            Conflict("campaign_closed", number=campaign.number))
    audit.record(session, actor, "campaign.cancel", target_type="campaign",
                 target_id=campaign.id, before={"status": before},
                 after={"status": "cancelled", "on": today.isoformat()})
    return campaign
