"""Hard rules (fail → decline) and refer rules (→ a person) of the programme."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from scoring.caps import within_household_cap
from scoring.codec import to_jsonable
from scoring.features import age_on
from scoring.inputs import AssessmentInput
from scoring.policy import Policy

Outcome = Literal["pass", "fail", "refer"]

PURPOSE_LABELS = {
    "planting": ("种植", "planting"),
    "husbandry": ("养殖", "animal husbandry"),
    "processing": ("加工", "processing"),
    "small_business": ("个体经营/商贸", "small business"),
    "rural_tourism": ("乡村旅游", "rural tourism"),
    "other_production": ("其他生产经营", "other production"),
    "house_building": ("建房", "house building"),
    "wedding_funeral": ("婚丧嫁娶", "weddings and funerals"),
    "consumption": ("消费", "consumption"),
    "wealth_management": ("购买理财产品", "wealth-management products"),
    "company_share": ("入股分红/户贷企用", "passing the loan to a company as a share"),
    "relending": ("转贷", "relending"),
}


@dataclass(frozen=True)
class RuleResult:
    """One rule's verdict: the value seen, the threshold, and pass|fail|refer."""

    id: str
    text_zh: str
    text_en: str
    value: Any
    threshold: Any
    outcome: Outcome

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able dict of the result."""
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleResult:
        """Rebuild a result from to_dict output (values stay JSON values)."""
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls)})


def _outcome(ok: bool | None) -> Outcome:
    # None means the file lacks what the rule needs: a person decides.
    return "refer" if ok is None else ("pass" if ok else "fail")


def amount_bounds(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Amount between the policy's minimum and maximum, inclusive."""
    amount = inp.request.amount
    return RuleResult("amount_bounds", f"贷款金额须在{p.amount_min}元至{p.amount_max}元之间",
                      f"amount must be between ¥{p.amount_min} and ¥{p.amount_max}",
                      str(amount), [str(p.amount_min), str(p.amount_max)],
                      _outcome(p.amount_min <= amount <= p.amount_max))


def term_bounds(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Term between the policy's minimum and maximum months, inclusive."""
    term = inp.request.term_months
    return RuleResult("term_bounds", f"贷款期限须在{p.term_min}至{p.term_max}个月之间",
                      f"term must be {p.term_min} to {p.term_max} months",
                      term, [p.term_min, p.term_max], _outcome(p.term_min <= term <= p.term_max))


def borrower_age(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Borrower aged age_min to age_max inclusive on the application date."""
    age = age_on(inp.household.borrower_birth_date, inp.request.application_date)
    ok = None if age is None else p.age_min <= age <= p.age_max
    return RuleResult("borrower_age", f"借款人申请日年龄须在{p.age_min}至{p.age_max}周岁",
                      f"borrower must be aged {p.age_min} to {p.age_max} on the application date",
                      age, [p.age_min, p.age_max], _outcome(ok))


def household_status(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Household is registered poor, lifted, or a monitored edge household."""
    status = inp.household.status
    ok = None if status is None else status in p.eligible_statuses
    return RuleResult("household_status", "须为建档立卡贫困户、已脱贫户或监测户",
                      "household must be registered poor, lifted, or monitored edge",
                      status, list(p.eligible_statuses), _outcome(ok))


def labour_capacity(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Borrower labour-capable and the household has a labour-capable member."""
    hh = inp.household
    members = sum(m.labour_capable is True for m in hh.members) + (hh.borrower_labour_capable is True)
    ok = None if hh.borrower_labour_capable is None else hh.borrower_labour_capable and members >= 1
    return RuleResult("labour_capacity", "借款人须有劳动能力且家庭至少有一名劳动力",
                      "borrower must be labour-capable and the household have a labour-capable member",
                      {"borrower": hh.borrower_labour_capable, "labour_members": members},
                      {"borrower": True, "labour_members": 1}, _outcome(ok))


def no_overdue_loan(inp: AssessmentInput, p: Policy) -> RuleResult:
    """No programme loan of the household currently overdue."""
    overdue = sum(loan.currently_overdue for loan in inp.past_loans)
    return RuleResult("no_overdue_loan", "家庭无逾期未还的扶贫小额信贷",
                      "no programme loan of the household may be overdue",
                      overdue, 0, _outcome(overdue == 0))


def no_bad_credit(inp: AssessmentInput, p: Policy) -> RuleResult:
    """No flagged major bad credit record."""
    flag = inp.household.bad_credit_flag
    return RuleResult("no_bad_credit", "无重大不良信用记录", "no flagged major bad credit record",
                      flag, False, _outcome(not flag))


def purpose_allowed(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Purpose is productive; a banned purpose fails with its own reason."""
    purpose = inp.request.purpose
    zh, en = PURPOSE_LABELS.get(purpose, (purpose, purpose))
    if purpose in p.banned_purposes:
        text_zh, text_en = f"贷款不得用于{zh}", f"loans may not be used for {en}"
    elif purpose in p.allowed_purposes:
        text_zh, text_en = f"贷款用于生产经营（{zh}）", f"productive purpose ({en})"
    else:
        text_zh = f"用途“{zh}”不在允许的生产经营用途之内"
        text_en = f"purpose '{en}' is not an allowed productive purpose"
    return RuleResult("purpose_allowed", text_zh, text_en, purpose, list(p.allowed_purposes),
                      _outcome(purpose in p.allowed_purposes))


def household_cap(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Household outstanding programme principal plus the amount within the cap."""
    total = inp.programme_outstanding + inp.request.amount
    return RuleResult("household_cap", f"家庭扶贫贷款余额加本笔不超过{p.household_cap}元",
                      f"household outstanding plus this loan may not pass ¥{p.household_cap}",
                      str(total), str(p.household_cap),
                      _outcome(within_household_cap(p.household_cap, inp.programme_outstanding,
                                                    inp.request.amount)))


def file_complete(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Refer when the household file lacks fields the assessment needs."""
    missing = missing_fields(inp)
    return RuleResult("file_complete", "户档案信息须完整", "the household file must be complete",
                      missing, [], "refer" if missing else "pass")


def recent_shock(inp: AssessmentInput, p: Policy) -> RuleResult:
    """Refer when the monitoring record has a shock within the lookback."""
    on = inp.request.application_date
    since = on - dt.timedelta(days=p.shock_lookback_days)
    shocks = sorted({e.kind for e in inp.household.monitoring_events if since <= e.occurred_on <= on})
    return RuleResult("recent_shock", f"近{p.shock_lookback_days}天内无重病、灾害、收入骤降等返贫风险",
                      f"no serious illness, disaster or income drop in the last {p.shock_lookback_days} days",
                      shocks, p.shock_lookback_days, "refer" if shocks else "pass")


def missing_fields(inp: AssessmentInput) -> list[str]:
    """List the household-file fields that are not recorded."""
    hh = inp.household
    names = ["borrower_birth_date", "borrower_labour_capable", "status", "per_capita_income",
             "productive_assets", "outside_debt", "skills_training", "cooperative_member"]
    missing = [n for n in names if getattr(hh, n) is None]
    if not hh.income_sources:
        missing.append("income_sources")
    missing += [f"guarantees.{f.name}" for f in dataclasses.fields(hh.guarantees)
                if getattr(hh.guarantees, f.name) is None]
    missing += [f"members[{i}].labour_capable" for i, m in enumerate(hh.members)
                if m.labour_capable is None]
    return missing


HARD_RULES: tuple[Callable[[AssessmentInput, Policy], RuleResult], ...] = (
    amount_bounds, term_bounds, borrower_age, household_status, labour_capacity,
    no_overdue_loan, no_bad_credit, purpose_allowed, household_cap,
)
REFER_RULES: tuple[Callable[[AssessmentInput, Policy], RuleResult], ...] = (file_complete, recent_shock)


def evaluate_rules(inp: AssessmentInput, policy: Policy) -> tuple[RuleResult, ...]:
    """Evaluate every hard rule, then every refer rule, in a fixed order."""
    return tuple(rule(inp, policy) for rule in HARD_RULES + REFER_RULES)
