"""flask seed-demo: a synthetic zone that passes every check the real one must."""

import re

from sqlalchemy import text

from creditsvc.core.idcard import normalise_id_number
from creditsvc.demo import households as demo
from creditsvc.services.fund.reconcile import reconcile
from creditsvc.services.platform.audit_chain import verify_chain


def test_seed_demo_loads_a_consistent_zone(runner, session, app, tmp_path):
    app.instance_path = str(tmp_path)
    result = runner.invoke(args=["seed-demo", "--households", "300"])
    assert result.exit_code == 0, result.output
    # Seven demo users (two officers, two fund managers), each with a page password and an API key.
    assert len(re.findall(r"password: \S{10,} +key: csk_", result.output)) == 7
    assert (tmp_path / "demo_keys.txt").read_text().count("csk_") == 7
    people = session.execute(text("SELECT name, password_hash, must_change_password FROM users"))
    assert all(h.startswith("$argon2id$") and not must for _, h, must in people)
    counts = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
              for t in ("households", "applications", "loans", "claims", "portfolio_snapshots")}
    assert counts["households"] == 300 and counts["applications"] > 30 and counts["loans"] > 5
    assert counts["portfolio_snapshots"] == 1  # the month of seeding starts the trend
    assert reconcile(session) == [] and verify_chain(session).ok
    # One village's campaign went through every step; another's is open, to be rated.
    campaigns = dict(session.execute(text("SELECT status, count(*) FROM campaigns GROUP BY status")).all())
    assert campaigns == {"granted": 1, "open": 1}
    granted = session.execute(text(
        "SELECT count(*) FROM credit_lines WHERE status = 'active'")).scalar()
    views = dict(session.execute(text(
        "SELECT committee_view, count(*) FROM campaign_entries GROUP BY committee_view")).all())
    assert granted >= 3 and views.get("lower") == 1 and views.get("disagree") == 1
    assert session.execute(text("SELECT status FROM campaign_objections")).scalars().all() == ["upheld"]
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "already has data" in again.output


def test_generator_is_deterministic_and_valid():
    first, second = demo.generate(50), demo.generate(50)
    assert first == second
    numbers = [row["id_number"] for row in first]
    assert len(set(numbers)) == 50
    assert all(normalise_id_number(n) == n and n.startswith("4499") for n in numbers)
    assert {row["town"] for row in first} == {"地都镇", "砲台镇", "登岗镇", "渔湖镇"}
