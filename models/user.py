"""Users, their roles and their API keys (stored only as hashes)."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdMixin, UTCDateTime, utcnow

ROLES = ("officer", "bank", "fund_manager", "admin")


class User(IdMixin, Base):
    """A person or system that calls the API in one role."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('officer', 'bank', 'fund_manager', 'admin')", name="role_known"
        ),
        # A bank user is bound to exactly one bank; nobody else is.
        CheckConstraint(
            "(role = 'bank') = (bank_code IS NOT NULL)", name="bank_binding"
        ),
    )

    name: Mapped[str] = mapped_column(String(64), unique=True)
    # The person's real name, as colleagues know them (staff data, not a household's).
    display_name: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    bank_code: Mapped[str | None] = mapped_column(ForeignKey("banks.code"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Signing in to the pages: an Argon2id hash (none: the user has API keys only), a first
    # password set by an admin that must be changed, and a lock after repeated failures that
    # lives here (not in a worker's memory) so that it holds across every worker.
    password_hash: Mapped[str | None] = mapped_column(String(128))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    keys: Mapped[list["ApiKey"]] = relationship(back_populates="user")
    areas: Mapped[list["OfficerArea"]] = relationship(
        back_populates="user", cascade="all, delete-orphan",
        order_by="(OfficerArea.town, OfficerArea.village)")


class ApiKey(IdMixin, Base):
    """One API key of a user; only its SHA-256 is kept."""

    __tablename__ = "api_keys"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The first characters, so that a user can tell their keys apart in listings.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="keys")


class OfficerArea(IdMixin, Base):
    """A town, or one village of a town, that an admin assigned an officer to work in.

    A row without a village covers every village of the town. Village names repeat across
    towns, so a village is always named with its town.
    """

    __tablename__ = "officer_areas"
    __table_args__ = (UniqueConstraint("user_id", "town", "village", name="uq_officer_areas_place"),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    town: Mapped[str] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(64))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="areas")

