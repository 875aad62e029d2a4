"""The borrower (贷款人): the head, or a member of the household named instead.

A household borrows (户借户用户还), but any member aged 18 to 65 with labour capacity may be
named as the borrower. The scoring input has the borrower's own fields and the other members:
when a member borrows, their birth date and labour capacity are the borrower's, and the head
joins the other members. With no member named, the head borrows, exactly as before.
"""

import dataclasses
from datetime import date

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from creditsvc.core.errors import Invalid
from models import Household, HouseholdMember
from scoring.features import age_on
from scoring.inputs import HouseholdFile, Member
from scoring.policy import Policy

_HOUSEHOLD = bindparam("household_id")
# Every member row with its id and masked name; the head's row (relation 'head') too.
MEMBER_COLUMNS = (HouseholdMember.household_id, HouseholdMember.id, HouseholdMember.relation,
                  HouseholdMember.birth_date, HouseholdMember.labour_capable,
                  HouseholdMember.chronic_illness, HouseholdMember.disability,
                  HouseholdMember.in_school, HouseholdMember.name_masked)
POSITION = HouseholdMember.position
_ROWS = (select(*MEMBER_COLUMNS).where(HouseholdMember.household_id == _HOUSEHOLD)
         .order_by(POSITION))


def member_rows(session: Session, household_id: str) -> list:
    """The household's member rows (MEMBER_COLUMNS), in the file's order."""
    return session.execute(_ROWS, {"household_id": household_id}).all()


def as_borrower(file: HouseholdFile, head, rows, member_id: str) -> HouseholdFile:
    """FILE with member MEMBER_ID (one of ROWS) borrowing; HEAD has the household row's
    head_birth_date and head_labour_capable. A member not of the household is refused."""
    chosen = next((r for r in rows if r.id == member_id), None)
    if chosen is None:
        raise Invalid("borrower_not_member", fields=("borrower_member_id",))
    if chosen.relation == "head":
        return file
    others, head_seen = [], False
    for r in rows:
        if r.id == member_id:
            continue
        if r.relation == "head":
            head_seen = True
            # The head's birth date and labour capacity are the file's (read from the ID number).
            others.append(Member("head", head.head_birth_date, head.head_labour_capable,
                                 r.chronic_illness, r.disability, r.in_school))
        else:
            others.append(Member(r.relation, r.birth_date, r.labour_capable, r.chronic_illness,
                                 r.disability, r.in_school))
    if not head_seen:
        others.insert(0, Member("head", head.head_birth_date, head.head_labour_capable))
    return dataclasses.replace(file, borrower_birth_date=chosen.birth_date,
                               borrower_labour_capable=chosen.labour_capable,
                               members=tuple(others))


def normalised(session: Session, household_id: str, member_id: str | None) -> str | None:
    """MEMBER_ID as stored: None for the head (or none named); refused when not a member."""
    if not member_id:
        return None
    row = session.execute(select(HouseholdMember.relation).where(
        HouseholdMember.id == member_id, HouseholdMember.household_id == household_id)).first()
    if row is None:
        raise Invalid("borrower_not_member", fields=("borrower_member_id",))
    return None if row.relation == "head" else member_id


def may_borrow(policy: Policy, birth_date: date | None, labour_capable: bool | None, on: date) -> bool:
    """Whether a member may be named borrower: of the policy's ages on ON, able to work."""
    age = age_on(birth_date, on)
    return age is not None and policy.age_min <= age <= policy.age_max and labour_capable is True


def choices(session: Session, household_id: str, policy: Policy, on: date) -> list[dict]:
    """Whom the officer's form offers as borrower: the head first, then each member who may
    borrow (masked names; the head's member row is the head)."""
    head = session.execute(select(Household.head_name_masked, Household.head_birth_date,
                                  Household.head_labour_capable)
                           .where(Household.id == household_id)).first()
    if head is None:
        return []
    out = [{"member_id": "", "relation": "head", "name": head.head_name_masked,
            "age": age_on(head.head_birth_date, on),
            "may_borrow": may_borrow(policy, head.head_birth_date, head.head_labour_capable, on)}]
    for r in member_rows(session, household_id):
        if r.relation != "head" and may_borrow(policy, r.birth_date, r.labour_capable, on):
            out.append({"member_id": r.id, "relation": r.relation, "name": r.name_masked or "",
                        "age": age_on(r.birth_date, on), "may_borrow": True})
    return out
