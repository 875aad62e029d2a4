"""The rating step: rate every household on a campaign's list (a job), and keep the ratings.

The officer submits a job (creditsvc/jobs/kinds.py, `campaign_rating`); its worker rates the
list set-based with the assessment's rules and scorecard (services/assessment/rating.py) in
chunks, reporting progress, and the campaign moves to `rated` in the job's one transaction:
a worker that dies midway leaves the campaign open and no rating behind.
"""

from collections import Counter
from collections.abc import Callable
from datetime import date

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict
from creditsvc.core.principal import Principal
from creditsvc.services.campaign.campaigns import advance, get_campaign
from creditsvc.services.platform import audit
from creditsvc.services.platform import jobs as job_service
from models import Campaign, CampaignEntry, Rating

KIND = "campaign_rating"
CHUNK = 2000


def _not_open(campaign: Campaign) -> Conflict:
    return Conflict("campaign_not_open", number=campaign.number)


def submit_rating(session: Session, actor: Principal, campaign_id: str):
    """Queue the job that rates the campaign's list; the campaign must still be open."""
    campaign = get_campaign(session, actor, campaign_id)
    if campaign.status != "open":
        raise _not_open(campaign)
    listed = session.execute(select(CampaignEntry.household_id)
                             .where(CampaignEntry.campaign_id == campaign.id)).scalars().all()
    return job_service.submit(session, actor, KIND, {"campaign_id": campaign.id},
                              total=len(listed))


def rate_campaign(session: Session, actor: Principal, campaign_id: str, *, today: date,
                  rate: Callable[..., object],
                  progress: Callable[[int, int, str], None] = lambda *a: None) -> dict:
    """Rate each household on the list with RATE (rate_households), CHUNK at a time.

    Returns what the job reports: how many were rated, and the households that could not be
    (by refusal code: no survey amount, no purpose...), which stay on the list unrated.
    """
    campaign = get_campaign(session, actor, campaign_id, lock=True)
    if campaign.status != "open":
        raise _not_open(campaign)
    household_ids = list(session.execute(
        select(CampaignEntry.household_id).where(CampaignEntry.campaign_id == campaign.id)
        .order_by(CampaignEntry.household_id)).scalars())
    refused: dict[str, str] = {}
    progress(0, len(household_ids), "rating")
    for start in range(0, len(household_ids), CHUNK):
        chunk = household_ids[start:start + CHUNK]
        batch = rate(session, chunk, actor=actor, on=today, campaign_id=campaign.id)
        refused.update(getattr(batch, "refused", None) or {})
        progress(min(start + CHUNK, len(household_ids)), len(household_ids), "rating")
    rated = attach_ratings(session, actor, campaign, today, refused=refused)
    return {"campaign_id": campaign.id, "rated": rated,
            "refused": dict(Counter(refused.values()))}


def attach_ratings(session: Session, actor: Principal, campaign: Campaign, today: date, *,
                   refused: dict[str, str] | None = None) -> int:
    """Put the campaign's ratings on their households' entries (each proposing its line) and
    mark the campaign rated; returns how many entries were rated."""
    ratings = session.execute(
        select(Rating.id, Rating.household_id, Rating.line_fen, Rating.grade,
               Rating.policy_version, Rating.model_sha256)
        .where(Rating.campaign_id == campaign.id)
        .order_by(Rating.created_at, Rating.id)).all()
    latest = {r.household_id: r for r in ratings}  # a household rated twice: its latest
    if latest:
        table = CampaignEntry.__table__
        session.execute(
            update(table).where(table.c.campaign_id == campaign.id,
                                table.c.household_id == bindparam("h"))
            .values(rating_id=bindparam("r"), proposed_line_fen=bindparam("line")),
            [{"h": h, "r": r.id, "line": r.line_fen} for h, r in latest.items()])
    first = next(iter(latest.values()), None)
    advance(session, campaign, ("open",), {
        "status": "rated", "rated_on": today, "rated_count": len(latest),
        "policy_version": first.policy_version if first else None,
        "model_sha256": first.model_sha256 if first else None}, _not_open(campaign))
    grades = Counter(r.grade or "none" for r in latest.values())
    audit.record(session, actor, "campaign.rate", target_type="campaign", target_id=campaign.id,
                 after={"status": "rated", "rated": len(latest), "by_grade": dict(grades),
                        "not_rated": dict(Counter((refused or {}).values())),
                        "policy_version": campaign.policy_version,
                        "model_sha256": campaign.model_sha256})
    return len(latest)
