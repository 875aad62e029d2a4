"""Factories of API payloads (household files and the like)."""

import itertools
from datetime import date

import factory

from creditsvc.demo.households import fake_id_number

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
