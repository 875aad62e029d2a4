"""The demo's village campaign (调查 → 评级 → 评议 → 公示 → 授信), run through the services.

One village of the demo officer's area goes through every step on business dates that lie
behind the demo's today, so its 公示 has ended and its lines are granted: survey sheets for
its households (most willing to borrow), the list rated with the real scorer, the committee's
views (mostly 同意, one 降低额度, one 不同意), one objection upheld by lowering a line, and
the lines granted. A second village's campaign is left open, for a new user to rate.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from creditsvc.core.pii import PiiCipher
from creditsvc.core.principal import Principal
from creditsvc.services.assessment.rating import rate_households
from creditsvc.services.campaign import campaigns, committee, grant, notice, rate
from creditsvc.services.campaign.committee import View
from creditsvc.services.platform.uow import UnitOfWork
from models import Household, HouseholdSurvey

TOWN = "渔湖镇"
AMOUNTS = (5_000, 10_000, 20_000, 30_000, 50_000)
PURPOSES = ("planting", "husbandry", "small_business", "processing")


def _step(session: Session, work, *args, **kwargs):
    with UnitOfWork(session) as uow:
        result = work(session, *args, **kwargs)
        uow.commit()
    return result


def _villages(session: Session) -> list[str]:
    """The town's villages, the most households first."""
    return list(session.execute(
        select(Household.village).where(Household.town == TOWN).group_by(Household.village)
        .order_by(func.count().desc(), Household.village)).scalars())


def survey(session: Session, officer: Principal, village: str, on: date,
           rng: random.Random) -> int:
    """Survey sheets for the village's households (nine in ten willing); how many were made."""
    ids = session.execute(select(Household.id).where(Household.town == TOWN,
                                                     Household.village == village)
                          .order_by(Household.created_at, Household.id)).scalars().all()
    with UnitOfWork(session) as uow:
        for h in ids:
            willing = rng.random() < 0.9
            uow.session.add(HouseholdSurvey(
                household_id=h, group_name=f"{rng.randint(1, 6)}组", labour_count=rng.randint(1, 3),
                main_industry=rng.choice(("种植", "养殖", "务工")), willing=willing,
                intended_amount_fen=rng.choice(AMOUNTS) * 100 if willing else None,
                purpose=rng.choice(PURPOSES) if willing else None,
                term_months=rng.choice((12, 24, 36)) if willing else None,
                surveyor="李晓明", surveyed_on=on, recorded_by=officer.user_id))
        uow.commit()
    return len(ids)


def run(session: Session, officer: Principal, cipher: PiiCipher, today: date,
        seed: int = 20261207) -> dict:
    """The demo campaign, granted a week before TODAY; returns what was made."""
    rng = random.Random(seed)
    first, second = _villages(session)[:2]
    opened_on = today - timedelta(days=21)
    survey(session, officer, first, opened_on - timedelta(days=10), rng)
    survey(session, officer, second, opened_on - timedelta(days=3), rng)
    c = _step(session, campaigns.open_campaign, officer, town=TOWN, village=first, today=opened_on)
    _step(session, rate.rate_campaign, officer, c.id, today=opened_on, rate=rate_households)
    rows = committee.entries(session, c.id)
    lined = [(e, r) for e, r, _ in rows if r is not None and r.line_fen > 0]
    views = [View(e.id, "agree") for e, r, _ in rows if r is not None]
    if len(lined) >= 3:
        (low, low_rating), (no, _r) = lined[1], lined[2]
        views = [v for v in views if v.entry_id not in (low.id, no.id)] + [
            View(low.id, "lower", _half(low_rating.line_fen), "家庭收入不稳定，额度减半"),
            View(no.id, "disagree", None, "本人表示暂不需要贷款")]
    _step(session, committee.record_views, officer, c.id, views)
    _step(session, notice.start_notice, officer, c.id, opened_on + timedelta(days=3))
    made = {"village": first, "households": len(rows), "objections": 0}
    if lined:
        target = lined[0][0]
        objection = _step(session, notice.raise_objection, officer, cipher, c.id,
                          raised_by="林桂香", content="该户家中另有稳定务工收入，额度偏高",
                          entry_id=target.id, today=opened_on + timedelta(days=5))
        _step(session, notice.resolve_objection, officer, c.id, objection.id, outcome="adjust",
              resolution="经村委会核实属实，额度调整为一万元",
              line=min(_half(lined[0][1].line_fen), Decimal(10_000)))
        made["objections"] = 1
    granted = opened_on + timedelta(days=3 + 8)
    _step(session, grant.grant, officer, c.id, granted)
    _step(session, campaigns.open_campaign, officer, town=TOWN, village=second, today=today)
    return made


def _half(line_fen: int) -> Decimal:
    """Half a line, in whole yuan."""
    return Decimal(line_fen // 200)
