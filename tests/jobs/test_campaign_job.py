"""The campaign's rate-all job with the real scorer: ratings, entries and the step commit together."""

from sqlalchemy import select

from creditsvc.core.pii import PiiCipher
from creditsvc.jobs import worker
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.campaign import campaigns, rate
from creditsvc.services.households import files as households
from creditsvc.services.platform import jobs
from models import AuditEvent, Campaign, CampaignEntry, HouseholdSurvey, Job, Rating
from tests.campaign_scenario import officer_of
from tests.conftest import ACTOR
from tests.factories import HouseholdFactory
from tests.today import TODAY
from tests.work import done


def _surveyed(session, amount_fen):
    h = done(session, households.create_household, ACTOR, PiiCipher("k" * 43),
             HouseholdInSchema().load(HouseholdFactory()))
    session.add(HouseholdSurvey(household_id=h.id, willing=True, intended_amount_fen=amount_fen,
                                purpose="planting", term_months=12))
    session.commit()
    return h.id


def test_the_job_rates_the_list_and_moves_the_campaign_to_rated(session):
    officer = officer_of(session, "渔湖镇/东湖村")
    good = [_surveyed(session, 2_000_000) for _ in range(3)]
    no_amount = _surveyed(session, None)
    campaign = done(session, campaigns.open_campaign, officer, town="渔湖镇", village="东湖村",
                    today=TODAY)
    job = done(session, rate.submit_rating, officer, campaign.id)
    assert job.total == 4
    assert worker.run(session, once=True, beat_seconds=0.2) == 1
    job = session.get(Job, job.id)
    assert job.status == "done", job.message
    assert job.result["rated"] == 3 and job.result["refused"] == {"survey_amount_missing": 1}
    assert (job.done, job.total) == (4, 4)
    campaign = session.get(Campaign, campaign.id)
    assert campaign.status == "rated" and len(campaign.model_sha256) == 64
    entries = {e.household_id: e for e in session.execute(
        select(CampaignEntry).where(CampaignEntry.campaign_id == campaign.id)).scalars()}
    for h in good:
        rating = session.get(Rating, entries[h].rating_id)
        assert rating.campaign_id == campaign.id and entries[h].proposed_line_fen == rating.line_fen
    assert entries[no_amount].rating_id is None
    actions = set(session.execute(select(AuditEvent.action)).scalars())
    assert {"rating.batch", "campaign.rate"} <= actions
    # A second run finds the campaign rated: the job fails with the refusal, nothing rated twice.
    again = done(session, jobs.submit,
                 officer, rate.KIND, {"campaign_id": campaign.id})
    worker.run(session, once=True, beat_seconds=0.2)
    assert session.get(Job, again.id).status == "failed"
    assert len(session.execute(select(Rating)).scalars().all()) == 3
