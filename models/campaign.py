"""The village campaign (调查 → 评级 → 公示 → 授信): surveys, ratings, campaigns, credit lines.

A survey sheet per household says whether it wishes to borrow, how much, for what and who
would borrow. A rating scores that wish with the assessment's rules and scorecard, without an
application. A campaign rates a village's (or a town's) surveyed households, hears the village
committee, posts the list publicly (公示), hears objections, and grants credit lines (授信).
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, IdMixin, TimestampMixin, UTCDateTime
from scoring.headline import LETTER

CAMPAIGN_STATUSES = ("open", "rated", "notice", "granted", "cancelled")
COMMITTEE_VIEWS = ("agree", "disagree", "lower")
LINE_STATUSES = ("active", "replaced", "revoked")
OBJECTION_STATUSES = ("open", "upheld", "dismissed")


class HouseholdSurvey(IdMixin, TimestampMixin, Base):
    """The household's latest survey sheet (one per household; a re-survey updates it).

    Changes to it are recorded in the household's change record like any edit of the file.
    `source_sha256` and `source_row` trace an imported sheet to its file and row.
    """

    __tablename__ = "household_surveys"
    __table_args__ = (
        CheckConstraint("labour_count IS NULL OR labour_count >= 0", name="labour_nonneg"),
        CheckConstraint("intended_amount_fen IS NULL OR intended_amount_fen > 0",
                        name="intended_positive"),
        CheckConstraint("term_months IS NULL OR term_months > 0", name="term_positive"),
    )

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), unique=True)
    group_name: Mapped[str | None] = mapped_column(String(32))  # 组 (村民小组)
    labour_count: Mapped[int | None] = mapped_column(Integer)  # 劳动力人数
    main_industry: Mapped[str | None] = mapped_column(String(64))  # 主要产业
    willing: Mapped[bool] = mapped_column(Boolean)  # 贷款意愿
    intended_amount_fen: Mapped[int | None] = mapped_column(BigInteger)  # 意向金额
    purpose: Mapped[str | None] = mapped_column(String(32))  # 用途 (scoring.vocab purposes)
    term_months: Mapped[int | None] = mapped_column(Integer)  # 期限
    # The borrower (贷款人): a member of the household; None means the head.
    borrower_member_id: Mapped[str | None] = mapped_column(ForeignKey("household_members.id"))
    surveyor: Mapped[str | None] = mapped_column(String(64))  # 调查人 (staff, not personal data)
    surveyed_on: Mapped[date | None] = mapped_column(Date)  # 调查日期
    source_sha256: Mapped[str | None] = mapped_column(String(64))
    source_row: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))


class Campaign(IdMixin, TimestampMixin, Base):
    """One village's (or, with no village, one town's) rating campaign."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'rated', 'notice', 'granted', 'cancelled')", name="status_known"
        ),
        Index("ix_campaigns_town_village", "town", "village"),
    )

    number: Mapped[str | None] = mapped_column(String(24), unique=True)  # PJ-2026-000003
    town: Mapped[str] = mapped_column(String(32))
    village: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    opened_on: Mapped[date] = mapped_column(Date)
    rated_on: Mapped[date | None] = mapped_column(Date)
    notice_from: Mapped[date | None] = mapped_column(Date)  # 公示 from
    notice_until: Mapped[date | None] = mapped_column(Date)  # 公示 until (inclusive)
    granted_on: Mapped[date | None] = mapped_column(Date)
    granted_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    policy_version: Mapped[int | None] = mapped_column(Integer)
    model_sha256: Mapped[str | None] = mapped_column(String(64))
    # Each step writes its count here, so that the list never counts the entries.
    households_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rated_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    viewed_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    lines_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Rating(IdMixin, TimestampMixin, Base):
    """A household's credit rating (信用评级) without an application.

    The row keeps what decides and what replays: grade, score, PD, decision, line, the policy
    and model versions, and `record` (column `assessment`): the assessment's input and each
    rule's outcome as a letter. The whole assessment (rules' texts, points, reasons) is not
    stored: `assessment` recomputes it from the record by replay, with the rating's own policy
    version and model (`explain`, installed by services/assessment/rating.py).
    """

    __tablename__ = "ratings"
    __table_args__ = (
        CheckConstraint("line_fen >= 0", name="line_nonneg"),
        Index("ix_ratings_household_created", "household_id", "created_at"),
    )

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    borrower_member_id: Mapped[str | None] = mapped_column(ForeignKey("household_members.id"))
    requested_amount_fen: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))  # approved | referred | declined
    grade: Mapped[str | None] = mapped_column(String(8))
    score: Mapped[float | None] = mapped_column(Float)
    pd: Mapped[float | None] = mapped_column(Float)
    line_fen: Mapped[int] = mapped_column(BigInteger)  # the line the grade allows (0: none)
    policy_version: Mapped[int] = mapped_column(Integer)
    model_sha256: Mapped[str] = mapped_column(String(64))
    record: Mapped[dict] = mapped_column("assessment", JSON)  # {"input": {...}, "rules": "ppp…"}
    rated_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    rated_on: Mapped[date] = mapped_column(Date)  # business date

    explain: ClassVar[Callable[..., dict] | None] = None

    @property
    def assessment(self) -> dict:
        """The whole assessment, recomputed from the record (once per loaded object)."""
        cached = self.__dict__.get("_explained")
        if cached is None:
            if Rating.explain is None:
                raise RuntimeError("no explainer installed: import services.assessment.rating")
            cached = self.__dict__["_explained"] = Rating.explain(self)
        return cached

    @assessment.setter
    def assessment(self, value: dict) -> None:
        """Store a whole assessment: its input, rule outcomes and headline (not its texts)."""
        self.record = {"input": value["input"],
                       "rules": "".join(LETTER[r["outcome"]] for r in value["rules"])}
        self.decision, self.grade = value["decision"], value["grade"]
        self.score, self.pd = value["score"], value["pd"]
        self.__dict__["_explained"] = value


class CampaignEntry(IdMixin, Base):
    """One household on a campaign's list: its rating and the village committee's view."""

    __tablename__ = "campaign_entries"
    __table_args__ = (
        UniqueConstraint("campaign_id", "household_id", name="uq_campaign_entries_household"),
        CheckConstraint(
            "committee_view IS NULL OR committee_view IN ('agree', 'disagree', 'lower')",
            name="view_known",
        ),
        CheckConstraint(
            "committee_view <> 'lower' OR committee_line_fen IS NOT NULL", name="lower_has_line"
        ),
    )

    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    rating_id: Mapped[str | None] = mapped_column(ForeignKey("ratings.id"))
    committee_view: Mapped[str | None] = mapped_column(String(16))  # 村级民主评议
    committee_line_fen: Mapped[int | None] = mapped_column(BigInteger)
    committee_note: Mapped[str | None] = mapped_column(String(500))
    # What goes to 公示 and, once granted, to the line: the rating's line, or the committee's.
    proposed_line_fen: Mapped[int | None] = mapped_column(BigInteger)


class CampaignObjection(IdMixin, TimestampMixin, Base):
    """An objection raised during 公示: who raised it, about whom, and how it was resolved."""

    __tablename__ = "campaign_objections"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'upheld', 'dismissed')", name="status_known"),
    )

    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    entry_id: Mapped[str | None] = mapped_column(ForeignKey("campaign_entries.id"))
    # The objector is a villager: personal data, encrypted with a mask for listings.
    raised_by_enc: Mapped[str] = mapped_column(Text)
    raised_by_masked: Mapped[str] = mapped_column(String(32))
    raised_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(String(1000))
    recorded_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    resolution: Mapped[str | None] = mapped_column(String(1000))
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class CreditLine(IdMixin, TimestampMixin, Base):
    """A granted credit line (授信): the grade, the line, and the dates it is valid.

    One active line per household; a re-rating's grant marks the old one replaced (history).
    """

    __tablename__ = "credit_lines"
    __table_args__ = (
        CheckConstraint("line_fen > 0", name="line_positive"),
        CheckConstraint("valid_until >= valid_from", name="dates_ordered"),
        CheckConstraint("status IN ('active', 'replaced', 'revoked')", name="status_known"),
        Index("ix_credit_lines_household", "household_id"),
        Index("ix_credit_lines_created_id", "created_at", "id"),  # the lists' order (0017f)
        # The lists of an area counted from the lines alone (0017p).
        Index("ix_credit_lines_area", "town", "village", "grade", "status", "valid_until"),
        Index(
            "uq_credit_lines_active_household", "household_id", unique=True,
            sqlite_where=text("status = 'active'"), postgresql_where=text("status = 'active'"),
        ),
    )

    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    # Where the household was when the line was granted (as an application and a loan keep it).
    town: Mapped[str] = mapped_column(String(32))
    village: Mapped[str] = mapped_column(String(64))
    rating_id: Mapped[str] = mapped_column(ForeignKey("ratings.id"))
    campaign_id: Mapped[str | None] = mapped_column(ForeignKey("campaigns.id"))
    borrower_member_id: Mapped[str | None] = mapped_column(ForeignKey("household_members.id"))
    grade: Mapped[str] = mapped_column(String(8))
    line_fen: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)  # inclusive
    status: Mapped[str] = mapped_column(String(16), default="active")
    policy_version: Mapped[int] = mapped_column(Integer)
    model_sha256: Mapped[str] = mapped_column(String(64))
    granted_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    granted_on: Mapped[date] = mapped_column(Date)
    replaced_by: Mapped[str | None] = mapped_column(ForeignKey("credit_lines.id"))
    revoked_reason: Mapped[str | None] = mapped_column(String(500))
    # 应贷未贷 whatever the date: active, the household willing by its survey, and no loan it
    # owes on or disbursed since valid_from. Kept by triggers (0019w), never written by code.
    waiting: Mapped[bool] = mapped_column(Boolean, server_default=false())
