"""The household file (一户一档): head of household, members and monitoring events."""

from datetime import date

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, IdMixin, TimestampMixin

STATUSES = ("registered_poor", "lifted", "monitored_edge")


class Household(IdMixin, TimestampMixin, Base):
    """One poor household's file. Personal data is encrypted; *_hash columns find it."""

    __tablename__ = "households"
    __table_args__ = (
        CheckConstraint(
            "status IN ('registered_poor', 'lifted', 'monitored_edge')", name="status_known"
        ),
        CheckConstraint("status <> 'lifted' OR lifted_year IS NOT NULL", name="lifted_has_year"),
        CheckConstraint("per_capita_income_fen >= 0", name="income_nonneg"),
        CheckConstraint("productive_assets_fen >= 0", name="assets_nonneg"),
        CheckConstraint("outside_debt_fen >= 0", name="debt_nonneg"),
        # Paging: the list's order (oldest first), so that a page is a short index range.
        Index("ix_households_created_id", "created_at", "id"),
        # A filtered page is a range of one of these, in the list's order, not a sort of
        # every file the filter matches (migration 0012h): by town, village, status, and
        # the officer's own files ("mine").
        Index("ix_households_town_created_id", "town", "created_at", "id"),
        Index("ix_households_village_created_id", "village", "created_at", "id"),
        Index("ix_households_status_created_id", "status", "created_at", "id"),
        Index("ix_households_created_by_created_id", "created_by", "created_at", "id"),
        # The villages of a town, one seek each (migration 0017c): the campaign's area choices.
        Index("ix_households_town_village", "town", "village"),
    )

    town: Mapped[str] = mapped_column(String(32))
    village: Mapped[str] = mapped_column(String(64))

    # Head of household. Clear text never reaches the database: encrypted tokens,
    # a keyed hash for look-ups and a mask for listings.
    head_name_enc: Mapped[str] = mapped_column(Text)
    head_name_masked: Mapped[str] = mapped_column(String(32))
    # Officers search by full name: the keyed hash finds an exact name without its clear text.
    head_name_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # ...and by its beginning (邱 finds 邱某某): keyed hashes of the first one and two
    # characters. The mask (邱*) already shows the first character; these show nothing more.
    head_name_prefix1_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    head_name_prefix2_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_enc: Mapped[str] = mapped_column(Text)
    id_number_hash: Mapped[str] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str] = mapped_column(String(18))
    phone_enc: Mapped[str | None] = mapped_column(Text)
    phone_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(11))
    # Read from the ID number; kept apart because the age rule needs it on every assessment.
    head_birth_date: Mapped[date] = mapped_column(Date)
    head_labour_capable: Mapped[bool | None] = mapped_column(Boolean)

    status: Mapped[str] = mapped_column(String(24))
    lifted_year: Mapped[int | None] = mapped_column(Integer)
    per_capita_income_fen: Mapped[int | None] = mapped_column(BigInteger)
    income_sources: Mapped[list] = mapped_column(JSON, default=list)
    productive_assets_fen: Mapped[int | None] = mapped_column(BigInteger)
    outside_debt_fen: Mapped[int | None] = mapped_column(BigInteger)
    # "Two no-worries, three guarantees" (两不愁三保障); None = not yet surveyed.
    food_secure: Mapped[bool | None] = mapped_column(Boolean)
    clothing_secure: Mapped[bool | None] = mapped_column(Boolean)
    education_secure: Mapped[bool | None] = mapped_column(Boolean)
    medical_secure: Mapped[bool | None] = mapped_column(Boolean)
    housing_secure: Mapped[bool | None] = mapped_column(Boolean)
    skills_training: Mapped[bool | None] = mapped_column(Boolean)
    cooperative_member: Mapped[bool | None] = mapped_column(Boolean)
    bad_credit_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))

    members: Mapped[list["HouseholdMember"]] = relationship(
        back_populates="household", cascade="all, delete-orphan", order_by="HouseholdMember.position"
    )
    events: Mapped[list["MonitoringEvent"]] = relationship(
        back_populates="household",
        cascade="all, delete-orphan",
        order_by="MonitoringEvent.occurred_on",
    )


class HouseholdMember(IdMixin, Base):
    """A member of the household (the head included, as relation 'head')."""

    __tablename__ = "household_members"

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(16))
    # A member's own name and ID number, when known (a survey's members sheet, a borrower who
    # is not the head): encrypted, with keyed hashes to find the ID number and to compare the
    # name with a re-imported survey's without decrypting it, and masks to list.
    name_enc: Mapped[str | None] = mapped_column(Text)
    name_hash: Mapped[str | None] = mapped_column(String(64))
    name_masked: Mapped[str | None] = mapped_column(String(32))
    id_number_enc: Mapped[str | None] = mapped_column(Text)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    birth_date: Mapped[date | None] = mapped_column(Date)
    labour_capable: Mapped[bool | None] = mapped_column(Boolean)
    chronic_illness: Mapped[bool] = mapped_column(Boolean, default=False)
    disability: Mapped[bool] = mapped_column(Boolean, default=False)
    in_school: Mapped[bool] = mapped_column(Boolean, default=False)

    household: Mapped[Household] = relationship(back_populates="members")


class MonitoringEvent(IdMixin, Base):
    """A dated shock in the household's monitoring record (返贫风险)."""

    __tablename__ = "monitoring_events"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('serious_illness', 'disaster', 'income_drop')", name="kind_known"
        ),
    )

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))

    household: Mapped[Household] = relationship(back_populates="events")
