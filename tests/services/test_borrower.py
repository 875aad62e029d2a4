"""The borrower (贷款人): a member named instead of the head, as the scoring input sees it."""

from collections import namedtuple
from datetime import date
from decimal import Decimal

import pytest

from creditsvc.core.errors import Invalid
from creditsvc.services.assessment.borrower import as_borrower, may_borrow
from scoring.bootstrap import DEFAULT_PATH
from scoring.decision import assess
from scoring.inputs import AssessmentInput, Guarantees, HouseholdFile, LoanRequest, Member
from scoring.policy import Policy
from scoring.scorecard import Scorecard

Row = namedtuple("Row", "id relation birth_date labour_capable chronic_illness disability in_school")
Head = namedtuple("Head", "head_birth_date head_labour_capable")
ON = date(2026, 11, 2)
SCORECARD = Scorecard.from_json(DEFAULT_PATH.read_text(encoding="utf-8"))
HEAD = Head(date(1956, 2, 1), True)  # 70 on ON
ROWS = [Row("m-head", "head", date(1956, 2, 1), True, True, False, False),
        Row("m-son", "child", date(1986, 4, 1), True, False, False, False),
        Row("m-girl", "grandchild", date(2015, 4, 1), False, False, False, True)]


def _file(members):
    return HouseholdFile(HEAD.head_birth_date, HEAD.head_labour_capable, "registered_poor",
                         members, Decimal(6800), ("planting",), Decimal(12000), Decimal(0),
                         Guarantees(True, True, True, True, True), True, False)


def _age_rule(file):
    inp = AssessmentInput(file, LoanRequest(Decimal(10000), 12, "planting", ON), (), Decimal(0))
    return next(r for r in assess(inp, Policy(), SCORECARD).rules if r.id == "borrower_age")


def test_the_son_borrows_and_the_head_joins_the_members():
    head_borrows = _file(tuple(Member(r.relation, r.birth_date, r.labour_capable, r.chronic_illness,
                                      r.disability, r.in_school) for r in ROWS[1:]))
    son_borrows = as_borrower(head_borrows, HEAD, ROWS, "m-son")
    assert (son_borrows.borrower_birth_date, son_borrows.borrower_labour_capable) == (date(1986, 4, 1), True)
    assert [m.relation for m in son_borrows.members] == ["head", "grandchild"]
    assert son_borrows.members[0] == Member("head", date(1956, 2, 1), True, True, False, False)
    assert _age_rule(head_borrows).outcome == "fail"
    assert (_age_rule(son_borrows).value, _age_rule(son_borrows).outcome) == (40, "pass")
    # The head's own row is the head; a file without a head row still counts the head.
    assert as_borrower(head_borrows, HEAD, ROWS, "m-head") is head_borrows
    no_head_row = as_borrower(head_borrows, HEAD, ROWS[1:], "m-son")
    assert no_head_row.members[0] == Member("head", date(1956, 2, 1), True)
    with pytest.raises(Invalid) as stranger:
        as_borrower(head_borrows, HEAD, ROWS, "someone-else")
    assert stranger.value.code == "borrower_not_member"


def test_the_form_offers_members_of_working_age_able_to_work():
    policy = Policy()
    assert may_borrow(policy, date(1986, 4, 1), True, ON)
    assert not may_borrow(policy, date(1986, 4, 1), False, ON)
    assert not may_borrow(policy, date(1956, 2, 1), True, ON)
    assert not may_borrow(policy, date(2010, 1, 1), True, ON)
    assert not may_borrow(policy, None, True, ON)
