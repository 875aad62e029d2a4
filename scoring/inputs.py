"""Frozen inputs of an assessment: household file, loan request, past loans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Self

from scoring.codec import CodecError, from_jsonable, to_jsonable


class InputError(ValueError):
    """An input dict could not be read back into the scoring inputs."""


class _Codec:
    """Mixin giving exact to_dict/from_dict round trips through the codec."""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict (Decimals as strings, dates ISO)."""
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Rebuild the object from to_dict output; raise InputError if malformed."""
        try:
            return from_jsonable(cls, data)
        except CodecError as exc:
            raise InputError(f"{cls.__name__}: {exc}") from None


@dataclass(frozen=True)
class Member(_Codec):
    """A household member other than the borrower (the borrower has own fields)."""

    relation: str
    birth_date: dt.date | None
    labour_capable: bool | None
    chronic_illness: bool = False
    disability: bool = False
    in_school: bool = False


@dataclass(frozen=True)
class MonitoringEvent(_Codec):
    """A shock in the household's monitoring record (返贫风险)."""

    kind: str
    occurred_on: dt.date


@dataclass(frozen=True)
class PastLoan(_Codec):
    """One of the household's programme loans, past or current (yuan)."""

    principal: Decimal
    outstanding: Decimal
    worst_dpd: int
    currently_overdue: bool


@dataclass(frozen=True)
class Guarantees(_Codec):
    """The "two no-worries, three guarantees" (两不愁三保障); None = not surveyed."""

    food: bool | None = None
    clothing: bool | None = None
    education: bool | None = None
    medical: bool | None = None
    housing: bool | None = None


@dataclass(frozen=True)
class HouseholdFile(_Codec):
    """The household file (一户一档); money in yuan, None = not recorded.

    `members` excludes the borrower; the first of `income_sources` is the main one.
    """

    borrower_birth_date: dt.date | None
    borrower_labour_capable: bool | None
    status: str | None
    members: tuple[Member, ...]
    per_capita_income: Decimal | None
    income_sources: tuple[str, ...]
    productive_assets: Decimal | None
    outside_debt: Decimal | None
    guarantees: Guarantees
    skills_training: bool | None
    cooperative_member: bool | None
    monitoring_events: tuple[MonitoringEvent, ...] = ()
    bad_credit_flag: bool = False


@dataclass(frozen=True)
class LoanRequest(_Codec):
    """The loan asked for: amount in yuan, term in months, purpose code."""

    amount: Decimal
    term_months: int
    purpose: str
    application_date: dt.date


@dataclass(frozen=True)
class AssessmentInput(_Codec):
    """Everything an assessment sees; programme_outstanding is current principal."""

    household: HouseholdFile
    request: LoanRequest
    past_loans: tuple[PastLoan, ...]
    programme_outstanding: Decimal
