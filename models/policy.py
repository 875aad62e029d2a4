"""Versioned programme policy and the scorecard model registry."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow


class PolicyVersion(Base):
    """One immutable version of every number of the programme's rules.

    A change makes a new version; the active one is the highest. Assessments and
    money-moving decisions record the version they used.
    """

    __tablename__ = "policy_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    body: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class ModelVersion(Base):
    """A scorecard artifact (JSON, never a pickle), named by its SHA-256."""

    __tablename__ = "model_versions"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    artifact: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(32))
    auc: Mapped[float | None] = mapped_column(Float)
    is_champion: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
