"""Factories: API payloads (household files) and rows made with the models (factory_boy)."""

import itertools
import uuid
from datetime import date, timedelta

import factory
import factory.alchemy
from flask import current_app

from creditsvc.demo.households import fake_id_number
from creditsvc.infra.extensions import db
from creditsvc.services.fund import exposure
from lending.fund import bank_share_bp
from models import Application, Household, Loan, User
from scoring.policy import Policy
from tests import books
from tests.today import TODAY

DEFAULT_RULES = Policy()
APPLIED_ON = date(2026, 1, 5)

_seq = itertools.count(1)


def id_number(birth: date = date(1980, 5, 17)) -> str:
    """A checksum-valid synthetic ID number, new on every call."""
    return fake_id_number(birth, next(_seq))


class MemberFactory(factory.DictFactory):
    relation = "spouse"
    birth_date = "1982-03-01"
    labour_capable = True
    chronic_illness = False
    disability = False
    in_school = False


class HouseholdFactory(factory.DictFactory):
    """A complete, eligible household file payload."""

    head_name = "陈建国"
    id_number = factory.LazyFunction(id_number)
    phone = "13800001234"
    town = "渔湖镇"
    village = "东湖村"
    status = "registered_poor"
    lifted_year = None
    head_labour_capable = True
    members = factory.LazyFunction(lambda: [
        {"relation": "head", "birth_date": "1980-05-17", "labour_capable": True},
        MemberFactory(),
        MemberFactory(relation="child", birth_date="2012-09-01", labour_capable=False,
                      in_school=True),
    ])
    per_capita_income = "6800.00"
    income_sources = factory.LazyFunction(lambda: ["planting", "wages"])
    productive_assets = "12000.00"
    outside_debt = "0.00"
    guarantees = factory.LazyFunction(lambda: dict.fromkeys(
        ("food", "clothing", "education", "medical", "housing"), True))
    skills_training = True
    cooperative_member = False
    bad_credit_flag = False
    monitoring_events = factory.LazyFunction(list)


# Rows, made with the models directly (no scoring, no services): the state a test starts from.

class ModelFactory(factory.alchemy.SQLAlchemyModelFactory):
    """Rows flushed into the app's session (the test's own database)."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 - resolved per test
        sqlalchemy_session_persistence = "commit"


class UserFactory(ModelFactory):
    """A user without an API key (the `keys` fixture makes users with keys)."""

    class Meta:
        model = User
        sqlalchemy_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"factory-user-{n}")
    role = "officer"


def _sealed(value: str) -> str:
    """VALUE encrypted with the test app's personal-data key, as the service stores it."""
    return current_app.extensions["creditsvc.core.pii"].encrypt(value)


class HouseholdRowFactory(ModelFactory):
    """A minimal household row; its head's name and ID number really encrypted (an export or a
    paper that reveals them decrypts them), its ID number's hash a random stand-in."""

    class Meta:
        model = Household

    town = "渔湖镇"
    village = "东湖村"
    head_name_enc = factory.LazyFunction(lambda: _sealed("陈建国"))
    head_name_masked = "陈*"
    id_number_enc = factory.LazyFunction(lambda: _sealed("440524198001010014"))
    id_number_hash = factory.LazyFunction(lambda: uuid.uuid4().hex)
    id_number_masked = "440524********0014"
    head_birth_date = date(1980, 1, 1)
    head_labour_capable = True
    status = "registered_poor"
    income_sources = factory.LazyFunction(lambda: ["planting"])


class ApplicationFactory(ModelFactory):
    """An application already assessed and approved (or further along), stored directly."""

    class Meta:
        model = Application

    class Params:
        household = factory.SubFactory(HouseholdRowFactory)
        # The day it was made, approved and (when accepted) accepted: tests disburse from then on.
        applied_on = APPLIED_ON

    household_id = factory.LazyAttribute(lambda o: o.household.id)
    # Far from the counter's numbers: a test may also submit applications the real way.
    number = factory.LazyAttributeSequence(lambda o, n: f"SQ-{o.applied_on.year}-{900_000 + n:06d}")
    town = factory.LazyAttribute(lambda o: o.household.town)
    village = factory.LazyAttribute(lambda o: o.household.village)
    submitted_by = factory.LazyFunction(lambda: UserFactory(name="factory-officer").id)
    submitted_on = factory.SelfAttribute("applied_on")
    bank_code = "PSBC"
    approved_amount_fen = 1_000_000
    amount_fen = factory.SelfAttribute("approved_amount_fen")
    term_months = 12
    purpose = "planting"
    status = "approved"
    decision = "approved"
    grade = "AAA"
    score = 85.0
    pd = 0.02
    policy_version = 1
    model_sha256 = "0" * 64
    assessment = factory.LazyAttribute(lambda o: {
        "rules": [], "limit": "50000.00",
        "input": {"request": {"application_date": o.applied_on.isoformat()}}})
    accepted_on = factory.LazyAttribute(lambda o: o.applied_on if o.status == "accepted" else None)


class LoanFactory(ModelFactory):
    """An active loan of a disbursed application, its principal reserved in the exposure.

    Disbursed 400 days before TODAY and past maturity, so a status report of any days past due is
    plausible; `days_past_due` sets its class and the fund's NPL total as a report would.
    """

    class Meta:
        model = Loan
        exclude = ("application",)
        # Flushed, then committed after the exposure is reserved: a refused reservation
        # leaves no loan behind once the caller rolls back.
        sqlalchemy_session_persistence = "flush"

    application = factory.SubFactory(
        ApplicationFactory, status="disbursed", approved_amount_fen=factory.SelfAttribute(
            "..principal_fen"), bank_code=factory.SelfAttribute("..bank_code"),
        household__town=factory.SelfAttribute("...town"),
        household__village=factory.SelfAttribute("...village"),
        purpose=factory.SelfAttribute("..purpose"), pd=factory.SelfAttribute("..pd"))
    application_id = factory.SelfAttribute("application.id")
    household_id = factory.SelfAttribute("application.household_id")
    bank_code = "PSBC"
    number = factory.LazyAttributeSequence(
        lambda o, n: f"{o.bank_code}-{o.disbursed_on.year}-{900_000 + n:06d}")
    principal_fen = 1_000_000
    outstanding_principal_fen = factory.SelfAttribute("principal_fen")
    accrued_interest_unpaid_fen = 0
    rate_bp = 300
    term_months = 12
    schedule_kind = "interest_quarterly"
    disbursed_on = TODAY - timedelta(days=400)
    maturity_on = TODAY - timedelta(days=35)
    status = "active"
    classification = "正常"
    policy_version = DEFAULT_RULES.version
    pd = 0.05
    grade = "AA"
    purpose = "planting"
    town = "渔湖镇"
    village = "东湖村"

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Commit what the hooks below did, as the row itself was committed."""
        if create:
            db.session.commit()

    @factory.post_generation
    def reserved(loan, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        """Reserve the principal within the caps, as a disbursement does (409 past them)."""
        rules = kwargs.get("rules", DEFAULT_RULES)
        exposure.reserve(db.session, loan.bank_code, loan.principal_fen, leverage=rules.leverage,
                         bank_share_bp=bank_share_bp(rules, loan.bank_code))

    @factory.post_generation
    def days_past_due(loan, create, extracted, **kwargs):  # noqa: N805
        """Report EXTRACTED days past due (class and NPL total follow), when given."""
        loan.days_past_due = 0
        if extracted:
            books.set_days_past_due(db.session, loan, extracted)
