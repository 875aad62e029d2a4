"""The policy and scorecard a lifecycle decision uses.

TEMPORARY bridge until `creditsvc.services.policy` (branch main) lands: it reads the
same tables (policy_versions, model_versions) and falls back to the scoring package's
defaults (DEFAULT_POLICY, the bootstrap artifact) when they are empty. Once main's
module exists it is used instead, so the integrator can delete the fallback.
"""

from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ModelVersion, PolicyVersion
from scoring.policy import DEFAULT_POLICY, Policy
from scoring.scorecard import Scorecard

try:  # pragma: no cover - depends on which branch is merged
    from creditsvc.services import policy as _main_policy
except ImportError:  # main's policy service has not been merged yet
    _main_policy = None

BOOTSTRAP = Path(__file__).resolve().parents[2] / "scoring" / "artifacts" / "bootstrap.json"


@lru_cache(maxsize=8)
def _scorecard(text: str) -> Scorecard:
    return Scorecard.from_json(text)


@lru_cache(maxsize=1)
def _bootstrap_text() -> str:
    return BOOTSTRAP.read_text(encoding="utf-8")


def active_policy(session: Session) -> Policy:
    """The policy in force: the highest version, or the defaults when none is stored."""
    if _main_policy is not None:
        return _main_policy.active_policy(session)
    row = session.execute(select(PolicyVersion).order_by(PolicyVersion.version.desc())
                          .limit(1)).scalar_one_or_none()
    return Policy.from_dict(row.body) if row else DEFAULT_POLICY


def policy_version(session: Session, version: int) -> Policy | None:
    """One stored policy version (the defaults are version 1 when none is stored)."""
    row = session.get(PolicyVersion, version)
    if row is not None:
        return Policy.from_dict(row.body)
    return DEFAULT_POLICY if version == DEFAULT_POLICY.version else None


def champion_scorecard(session: Session) -> Scorecard:
    """The champion model, or the bootstrap scorecard when the registry is empty."""
    if _main_policy is not None:
        return _main_policy.champion_scorecard(session)
    row = session.execute(select(ModelVersion).where(ModelVersion.is_champion.is_(True))
                          .limit(1)).scalar_one_or_none()
    return _scorecard(row.artifact if row else _bootstrap_text())


def scorecard_by_sha(session: Session, sha256: str) -> Scorecard | None:
    """A model of the registry by its SHA-256 (or the bootstrap one)."""
    row = session.get(ModelVersion, sha256)
    if row is not None:
        return _scorecard(row.artifact)
    boot = _scorecard(_bootstrap_text())
    return boot if boot.sha256 == sha256 else None
