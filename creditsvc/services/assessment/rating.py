"""Credit ratings (信用评级) without an application: a surveyed household's wish, assessed.

A household whose survey says it is willing to borrow is rated with exactly an application's
assessment (`scoring.decision.assess`: the same hard and refer rules, the champion scorecard,
the active policy), its survey's intended amount, purpose and term taken as the request and its
survey's borrower as the borrower. The rating keeps the grade, score, PD, decision, the line
the grade allows (0 when declined or unrated), the policy and model versions, and its record:
the assessment's input and each rule's outcome. The whole assessment (rules' texts, points,
reasons) is recomputed from the record by replay when it is shown (`rating_explanation`,
`Rating.assessment`); replay is deterministic, so it is the assessment the rating was given.

`rate_households` rates a campaign's households set-based: the files are read a chunk at a
time (`assessment.views`), each chunk scored at once (`rating_rows`), and written with one
statement per chunk.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, object_session

from creditsvc.core.errors import AppError, Conflict, NotFound
from creditsvc.core.money import from_fen
from creditsvc.core.principal import Principal
from creditsvc.services.assessment import rating_rows
from creditsvc.services.assessment import views as batch_views
from creditsvc.services.assessment.inputs import ScoringView, build_input
from creditsvc.services.platform import audit
from creditsvc.services.programme import policy as programme
from models import HouseholdSurvey, Rating
from models.base import new_id, utcnow
from scoring.decision import Assessment, ReplayError, assess, replay
from scoring.headline import LETTER, outcome_letters
from scoring.inputs import InputError
from scoring.policy import Policy
from scoring.scorecard import Scorecard

_SURVEY = (HouseholdSurvey.household_id, HouseholdSurvey.willing,
           HouseholdSurvey.intended_amount_fen, HouseholdSurvey.purpose,
           HouseholdSurvey.term_months, HouseholdSurvey.borrower_member_id)
_SURVEYS = select(*_SURVEY).where(HouseholdSurvey.household_id.in_(bindparam("ids", expanding=True)))


@dataclass
class RatingBatch:
    """What a batch did: each rated household's rating id, each refused one's code."""

    rated: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    decisions: Counter = field(default_factory=Counter)
    grades: Counter = field(default_factory=Counter)


def survey_refusal(survey) -> AppError | None:
    """Why a household with SURVEY (a row of _SURVEY, or None) cannot be rated; None if it can."""
    if survey is None:
        return Conflict("survey_missing")
    if not survey.willing:
        return Conflict("survey_not_willing")
    if not survey.intended_amount_fen:
        return Conflict("survey_amount_missing")
    if not survey.purpose:
        return Conflict("survey_purpose_missing")
    if not survey.term_months:
        return Conflict("survey_term_missing")
    return None


def line_fen(result: Assessment) -> int:
    """The line a rating allows: its grade's limit (policy grade_bands), 0 declined or unrated."""
    return rating_rows.line_of(result.decision, result.grade, result.limit)


def _row(view: ScoringView, survey, policy: Policy, scorecard: Scorecard, *, actor: Principal,
         on: date, campaign_id: str | None, now) -> dict:
    """The ratings row of one household: its survey's wish assessed."""
    inp = build_input(view, amount=from_fen(survey.intended_amount_fen),
                      term_months=survey.term_months, purpose=survey.purpose, on=on)
    result = assess(inp, policy, scorecard)
    return {"id": new_id(), "created_at": now, "updated_at": now,
            "household_id": view.household_id, "campaign_id": campaign_id,
            "borrower_member_id": survey.borrower_member_id,
            "requested_amount_fen": survey.intended_amount_fen,
            "term_months": survey.term_months, "purpose": survey.purpose,
            "decision": result.decision, "grade": result.grade, "score": result.score,
            "pd": result.pd, "line_fen": line_fen(result), "policy_version": policy.version,
            "model_sha256": scorecard.sha256,
            "record": {"input": result.input.to_dict(), "rules": outcome_letters(result.rules)},
            "rated_by": actor.user_id, "rated_on": on}


def _surveys(session: Session, chunk: list[str]) -> dict:
    # Core, not the ORM (plain rows); the chunk bound as one expanding parameter.
    rows = session.connection().execute(_SURVEYS, {"ids": chunk}).all()
    return {r.household_id: r for r in rows}


def _detail(r: dict) -> dict:
    return {"household_id": r["household_id"], "campaign_id": r["campaign_id"],
            "decision": r["decision"], "grade": r["grade"], "line_fen": r["line_fen"],
            "policy_version": r["policy_version"], "model_sha256": r["model_sha256"]}


def rate_household(session: Session, household_id: str, *, actor: Principal, on: date,
                   campaign_id: str | None = None) -> Rating:
    """Rate one surveyed household willing to borrow (404 no file; 409 with the survey's reason)."""
    survey = _surveys(session, [household_id]).get(household_id)
    views = batch_views.scoring_views(session, [household_id],
                                      {household_id: survey.borrower_member_id} if survey else None)
    if household_id not in views:
        raise NotFound("household_not_found")
    refusal = survey_refusal(survey)
    if refusal is not None:
        raise refusal
    view = views[household_id]
    policy, scorecard = view.in_force(session)
    row = _row(view, survey, policy, scorecard, actor=actor, on=on, campaign_id=campaign_id,
               now=utcnow())
    rating = Rating(**row)
    session.add(rating)
    session.flush()
    audit.record(session, actor, "rating.create", target_type="rating", target_id=rating.id,
                 detail=_detail(row))
    return rating


@dataclass
class _Batch:
    """What every chunk of one batch shares."""

    force: tuple
    policy: Policy
    scorecard: Scorecard
    writer: rating_rows.Writer
    digest: Any  # a hashlib.sha256 over every rating of the batch
    on: date
    campaign_id: str | None
    rated_by: str


def _rate_chunk(session: Session, chunk: list[str], batch: _Batch, out: RatingBatch) -> None:
    """Rate one chunk of a batch: read, decide, write in one statement."""
    surveys = _surveys(session, chunk)
    borrowers = {h: s.borrower_member_id for h, s in surveys.items() if s.borrower_member_id}
    views = batch_views.scoring_views(session, chunk, borrowers, batch.force, out.refused)
    pending = []
    for household_id in chunk:
        if household_id in out.refused:  # its survey names a borrower not of the household
            continue
        refusal = (NotFound("household_not_found") if household_id not in views
                   else survey_refusal(surveys.get(household_id)))
        if refusal is not None:
            out.refused[household_id] = refusal.code
            continue
        pending.append((views[household_id], surveys[household_id]))
    rows = []
    for (view, survey), head in zip(pending, rating_rows.headlines(
            pending, batch.policy, batch.scorecard, batch.on), strict=True):
        row = batch.writer.row(view.household_id, batch.campaign_id, survey, head,
                               batch.policy.version, batch.scorecard.sha256, batch.rated_by)
        rows.append(row)
        grade, decision, line = head[4], head[5], head[6]
        out.rated[view.household_id] = row[0]
        out.decisions[decision] += 1
        out.grades[grade or "unrated"] += 1
        batch.digest.update(f"{view.household_id}:{row[0]}:{grade}:{line};".encode())
    batch.writer.write(rows)


def rate_households(session: Session, household_ids, *, actor: Principal, on: date,
                    campaign_id: str | None) -> RatingBatch:
    """Rate many households set-based (a campaign): those that cannot be rated are refused by
    code, the others rated with the policy and champion in force when the batch began."""
    force = batch_views.in_force(session)
    policy, scorecard = programme.resolve(session, *force)
    ids, out = list(dict.fromkeys(household_ids)), RatingBatch()
    batch = _Batch(force, policy, scorecard, rating_rows.Writer(session, utcnow(), on),
                   hashlib.sha256(), on, campaign_id, actor.user_id)
    with rating_rows.cyclic_gc_paused():
        for start in range(0, len(ids), batch_views.CHUNK):
            _rate_chunk(session, ids[start:start + batch_views.CHUNK], batch, out)
    digest = batch.digest
    audit.record(session, actor, "rating.batch", target_type="campaign", target_id=campaign_id,
                 detail={"rated": len(out.rated), "refused": dict(Counter(out.refused.values())),
                         "decisions": dict(out.decisions), "grades": dict(out.grades),
                         "policy_version": policy.version, "model_sha256": scorecard.sha256,
                         "on": on.isoformat(), "sha256": digest.hexdigest()})
    return out


def get_rating(session: Session, rating_id: str) -> Rating:
    """One rating, or 404."""
    rating = session.get(Rating, rating_id)
    if rating is None:
        raise NotFound("rating_not_found")
    return rating


def _replayed(session: Session, rating: Rating) -> Assessment:
    """The rating's assessment recomputed from its record with its own policy and model."""
    policy = programme.policy_version(session, rating.policy_version)
    scorecard = programme.scorecard_by_sha(session, rating.model_sha256)
    stored = {"input": (rating.record or {}).get("input"), "policy_version": rating.policy_version,
              "model_sha256": rating.model_sha256}
    try:
        return replay(stored, policy, scorecard)
    except (ReplayError, InputError, TypeError, KeyError) as exc:
        raise Conflict("replay_unavailable", reason=str(exc)) from exc


def rating_explanation(session: Session, rating: Rating) -> dict:
    """The rating's whole assessment (inputs, rules, points, reasons), as an application's is
    shown: recomputed from its record, which replay makes exact."""
    return json.loads(json.dumps(_replayed(session, rating).to_dict()))


def _stored_letters(rules) -> str | None:
    """The stored rules' outcomes as letters; a rating stored whole (its record the entire
    assessment, with each rule as a dict) reads as the same letters."""
    if rules is None or isinstance(rules, str):
        return rules
    return "".join(LETTER[r["outcome"]] for r in rules)


def _headline(decision, grade, score, pd, line, rules) -> dict:
    return {"decision": decision, "grade": grade, "score": score, "pd": pd, "line_fen": line,
            "rules": rules}


def replay_rating(session: Session, rating: Rating) -> dict:
    """Recompute the rating with its own policy version and model; say whether what it decided
    (decision, grade, score, PD, line, each rule's outcome) equals what is stored."""
    again = _replayed(session, rating)
    replayed = json.loads(json.dumps(again.to_dict()))
    stored = _headline(rating.decision, rating.grade, rating.score, rating.pd, rating.line_fen,
                       _stored_letters((rating.record or {}).get("rules")))
    matches = stored == _headline(again.decision, again.grade, again.score, again.pd,
                                  line_fen(again), outcome_letters(again.rules))
    return {"rating_id": rating.id, "matches": matches,
            "policy_version": rating.policy_version, "model_sha256": rating.model_sha256,
            "stored": rating.assessment, "replayed": replayed}


def _explain(rating: Rating) -> dict:
    return rating_explanation(object_session(rating), rating)


Rating.explain = _explain
