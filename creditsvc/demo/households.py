"""A documented generator of a plausible, entirely synthetic zone (fixed seed).

Assumptions, so that nobody mistakes it for data:
- four towns of the Jieyang Airport Economic Zone, 9 to 12 villages each, names made
  up from common village-name characters;
- about 2,000 households; head's age 20 to 75 (some outside the programme's 18-65 on
  purpose); 1 to 7 members; 60% registered poor, 28% lifted (2016-2020), 12% monitored;
- per-capita income log-normal around ¥7,000; assets and debts skewed; 8% carry a
  monitoring shock; 2% a bad-credit flag; 5% have an incomplete file;
- ID numbers use the region code 4499xx, which no prefecture has, so no generated number
  can be a real person's; phones are 1380000xxxx; names are random surname + given name.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from creditsvc.core.idcard import check_char
from creditsvc.core.vocab import INCOME_SOURCES, TOWNS

SURNAMES = "陈林黄张李王吴刘蔡杨郑谢许洪邱曾罗卢"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国春梅志文"
VILLAGE_PARTS = "东西南北上下新旧大小青龙凤溪塘湖山田坑寮头尾围"


def villages_of(rng: random.Random) -> dict[str, list[str]]:
    """Town -> its villages (distinct names)."""
    out, seen = {}, set()
    for town in TOWNS:
        names = []
        while len(names) < rng.randint(9, 12):
            name = "".join(rng.sample(VILLAGE_PARTS, 2)) + "村"
            if name not in seen:
                seen.add(name)
                names.append(name)
        out[town] = names
    return out


def fake_id_number(birth: date, seq: int) -> str:
    """A checksum-valid number in the non-existent region 4499xx."""
    # The region digits and sequence come from SEQ, so numbers never repeat.
    first17 = f"4499{seq // 1000 % 100:02d}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_char(first17)


def _yuan(value: float) -> str:
    return str(Decimal(int(value)).quantize(Decimal("0.01")))


def household(rng: random.Random, i: int, town: str, village: str, today: date) -> dict:
    """One synthetic household payload, as the API accepts it."""
    head_age = rng.randint(20, 75)
    birth = today - timedelta(days=head_age * 365 + rng.randint(0, 364))
    size = rng.choices(range(1, 8), weights=[8, 18, 22, 24, 16, 8, 4])[0]
    members = [{"relation": "head", "birth_date": birth.isoformat(),
                "labour_capable": head_age < 70 and rng.random() > 0.08,
                "chronic_illness": rng.random() < 0.12, "disability": rng.random() < 0.04}]
    for _ in range(size - 1):
        relation = rng.choice(["spouse", "child", "child", "parent", "grandchild"])
        age = {"spouse": head_age + rng.randint(-5, 5), "parent": head_age + rng.randint(20, 30)
               }.get(relation, rng.randint(1, max(2, head_age - 18)))
        age = max(0, min(age, 95))
        members.append({
            "relation": relation,
            "birth_date": (today - timedelta(days=age * 365 + rng.randint(0, 364))).isoformat(),
            "labour_capable": 18 <= age <= 65 and rng.random() > 0.15,
            "chronic_illness": rng.random() < (0.25 if age > 60 else 0.05),
            "disability": rng.random() < 0.03, "in_school": 6 <= age <= 18})
    status = rng.choices(["registered_poor", "lifted", "monitored_edge"], [60, 28, 12])[0]
    payload = {
        "head_name": rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2]))),
        "id_number": fake_id_number(birth, i),
        "phone": f"1380000{i % 10000:04d}" if rng.random() > 0.1 else None,
        "town": town, "village": village, "status": status,
        "lifted_year": rng.randint(2016, 2020) if status == "lifted" else None,
        "head_labour_capable": members[0]["labour_capable"],
        "members": members,
        "per_capita_income": _yuan(min(rng.lognormvariate(8.85, 0.45), 60000)),
        "income_sources": rng.sample(INCOME_SOURCES, rng.randint(1, 3)),
        "productive_assets": _yuan(rng.paretovariate(1.6) * 4000),
        "outside_debt": _yuan(rng.expovariate(1 / 6000) if rng.random() < 0.35 else 0),
        "guarantees": {k: rng.random() > 0.03 for k in
                       ("food", "clothing", "education", "medical", "housing")},
        "skills_training": rng.random() < 0.4, "cooperative_member": rng.random() < 0.25,
        "bad_credit_flag": rng.random() < 0.02,
        "monitoring_events": [],
    }
    if rng.random() < 0.08:
        payload["monitoring_events"].append({
            "kind": rng.choice(["serious_illness", "disaster", "income_drop"]),
            "occurred_on": (today - timedelta(days=rng.randint(10, 900))).isoformat()})
    if rng.random() < 0.05:  # an incomplete file: the survey left these blank
        payload["per_capita_income"] = None
        payload["productive_assets"] = None
    return payload


def generate(count: int = 2000, seed: int = 20261128, today: date | None = None) -> list[dict]:
    """COUNT synthetic household payloads, the same for the same seed and date."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    towns = villages_of(rng)
    rows = []
    for i in range(count):
        town = TOWNS[i % len(TOWNS)]
        rows.append(household(rng, i, town, rng.choice(towns[town]), today))
    return rows
