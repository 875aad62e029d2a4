"""The versioned policy and the scorecard registry (champion and challengers)."""

import json

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from creditsvc.core.errors import Conflict, Invalid, NotFound, Unavailable
from creditsvc.core.principal import Principal
from creditsvc.services.platform import audit
from models import Bank, ModelVersion, PolicyVersion
from models.base import utcnow
from scoring.artifact import ArtifactError
from scoring.policy import Policy, PolicyError
from scoring.scorecard import Scorecard


def active_policy(session: Session) -> Policy:
    """The policy in force: the highest version."""
    version = session.execute(select(func.max(PolicyVersion.version))).scalar_one()
    return policy_version(session, version)


def policy_version(session: Session, version: int) -> Policy:
    """A version by number (to show or replay a decision that used it)."""
    # Versions are immutable, so each is parsed once per process and database.
    key = (session.get_bind().engine.url, version)
    cached = _policies.get(key)
    if cached is None:
        row = session.get(PolicyVersion, version)
        if row is None:
            raise NotFound("policy_not_found", version=version)
        cached = _policies[key] = Policy.from_dict({**row.body, "version": row.version})
    return cached


_policies: dict[tuple[object, int], Policy] = {}


# Built once: every submission reads them as columns of its household read
# (services/assessment/inputs.py), then resolves them here.
ACTIVE_VERSION = select(func.max(PolicyVersion.__table__.c.version)).scalar_subquery()
CHAMPION_SHA = (select(ModelVersion.__table__.c.sha256)
                .where(ModelVersion.__table__.c.is_champion.is_(True)).scalar_subquery())


def resolve(session: Session, version: int, champion_sha: str | None) -> tuple[Policy, Scorecard]:
    """The policy and scorecard of an ACTIVE_VERSION and CHAMPION_SHA read (503 without one)."""
    if champion_sha is None:
        raise _no_champion()
    return policy_version(session, version), scorecard_by_sha(session, champion_sha)


def _no_champion() -> Conflict:
    return Unavailable("no_champion_model")


def change_policy(session: Session, actor: Principal, changes: dict, note: str | None) -> Policy:
    """Make a new version from the active one with CHANGES; old versions are never edited."""
    current = active_policy(session)
    body = {**current.to_dict(), **changes, "version": current.version + 1}
    try:
        new = Policy.from_dict(body)
    except PolicyError as exc:
        raise Invalid("invalid_policy", reason=str(exc)) from exc
    session.add(PolicyVersion(version=new.version, body=new.to_dict(), note=note,
                              created_by=actor.user_id))
    # The banks' rows show their current share; the policy is the source of it.
    for code, share in new.bank_shares:
        bank = session.get(Bank, code)
        if bank is None:
            raise Invalid("unknown_bank", bank=code)
        bank.capacity_share_bp = int(share * 10000)
    audit.record(session, actor, "policy.change", target_type="policy",
                 target_id=str(new.version), detail={"changed": sorted(changes), "note": note})
    session.flush()
    return new


def champion_scorecard(session: Session) -> Scorecard:
    """The scorecard new applications are assessed with."""
    sha = session.execute(
        select(ModelVersion.sha256).where(ModelVersion.is_champion.is_(True))).scalar_one_or_none()
    if sha is None:
        raise _no_champion()
    return scorecard_by_sha(session, sha)


def scorecard_by_sha(session: Session, sha: str) -> Scorecard:
    """A registered scorecard, loaded once per process."""
    cached = _loaded.get(sha)
    if cached is None:
        row = session.get(ModelVersion, sha)
        if row is None:
            raise NotFound("model_not_found", version=sha)
        cached = _loaded[sha] = Scorecard.from_json(row.artifact)
    return cached


_loaded: dict[str, Scorecard] = {}


def register_model(session: Session, actor: Principal, artifact_text: str,
                   source: str) -> ModelVersion:
    """Add a validated artifact to the registry as a challenger."""
    try:
        card = Scorecard.from_json(artifact_text)
    except ArtifactError as exc:
        raise Invalid("invalid_model", reason=str(exc)) from exc
    existing = session.get(ModelVersion, card.sha256)
    if existing is not None:
        return existing
    auc = json.loads(artifact_text).get("metrics", {}).get("holdout", {}).get("auc")
    row = ModelVersion(sha256=card.sha256, artifact=artifact_text, source=source, auc=auc,
                       is_champion=False)
    session.add(row)
    audit.record(session, actor, "model.register", target_type="model", target_id=card.sha256,
                 detail={"source": source, "auc": auc})
    session.flush()
    return row


def find_model(session: Session, version: str) -> ModelVersion:
    """A model by its SHA-256 or a unique prefix of it (the short version)."""
    rows = session.execute(select(ModelVersion).where(
        ModelVersion.sha256.startswith(version.lower()))).scalars().all()
    if len(rows) != 1 or len(version) < 6:
        raise NotFound("model_not_found", version=version)
    return rows[0]


def promote(session: Session, actor: Principal, version: str, *, holdout_auc: dict[str, float],
            force: bool = False, reason: str | None = None) -> ModelVersion:
    """Make a model the champion; a challenger worse on the same holdout needs force.

    holdout_auc maps sha256 -> AUC measured on one holdout for the challenger and champion.
    """
    row = find_model(session, version)
    champion = session.execute(
        select(ModelVersion).where(ModelVersion.is_champion.is_(True))).scalar_one_or_none()
    if champion is not None and champion.sha256 != row.sha256 and not force:
        mine, theirs = holdout_auc.get(row.sha256), holdout_auc.get(champion.sha256)
        if mine is None or theirs is None:
            raise Invalid("holdout_missing")
        if mine < theirs:
            raise Conflict("challenger_worse", mine=f"{mine:.4f}", theirs=f"{theirs:.4f}")
    session.execute(update(ModelVersion).where(ModelVersion.is_champion.is_(True))
                    .values(is_champion=False))
    row.is_champion, row.promoted_at = True, utcnow()
    audit.record(session, actor, "model.promote", target_type="model", target_id=row.sha256,
                 detail={"previous": champion.sha256 if champion else None, "forced": force,
                         "holdout_auc": holdout_auc, "reason": reason})
    session.flush()
    return row


def list_models(session: Session) -> list[ModelVersion]:
    """Every registered model, newest first."""
    return list(session.execute(
        select(ModelVersion).order_by(ModelVersion.created_at.desc())).scalars())
