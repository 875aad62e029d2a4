"""Hostile input gets a 4xx with a code, never a 500, and never a silently changed value."""

import json

import pytest
from sqlalchemy import text

from tests.api.test_applications import household, submit
from tests.api.test_loans import TERMS, accepted, disburse
from tests.books import set_fund
from tests.factories import HouseholdFactory
from tests.today import TODAY

HOUSEHOLDS = "/api/v1/households"


def code_of(response) -> tuple[int, str]:
    return response.status_code, response.get_json()["code"]


def audit_count(session, action: str) -> int:
    return session.execute(text("SELECT count(*) FROM audit_events WHERE action = :a"),
                           {"a": action}).scalar()


@pytest.mark.parametrize("amount", ["1e30", "1" * 30, "1_000.00", "١٠٠٠.٠٠", "１０００.００",
                                    " 1000.00", "+1000.00", "1000.001", "NaN", "Infinity", 1000.0])
def test_money_is_a_plain_ascii_decimal_string(client, officer, amount):
    response = client.post(HOUSEHOLDS, json=HouseholdFactory(per_capita_income=amount),
                           headers=officer)
    assert code_of(response) == (422, "validation_error")
    assert "per_capita_income" in response.get_json()["errors"]["json"]


def test_each_money_field_has_a_range(client, officer):
    hid = household(client, officer)
    assert code_of(submit(client, officer, "big-0001", household_id=hid,
                          amount="1000000.01")) == (422, "validation_error")
    assert code_of(client.post(HOUSEHOLDS, json=HouseholdFactory(productive_assets="10000000.01"),
                               headers=officer)) == (422, "validation_error")


def test_interest_of_1e9_and_more_than_is_owed_are_refused(client, keys, session):
    set_fund(session, 50_000_000)
    psbc = keys.headers("bank", "PSBC")
    keys.key("officer")
    loan = disburse(client, psbc, accepted(session, approved_fen=100_000), "dis-h-001",
                    amount="1000.00").get_json()["loan"]
    url = f"/api/v1/loans/{loan['id']}/repayments"
    for interest, code in (("1e9", "validation_error"), ("1000000000.00", "validation_error"),
                           ("900.00", "overpayment")):
        response = client.post(url, json={"principal": "0.00", "interest": interest,
                                          "paid_on": "2026-02-01"},
                               headers={**psbc, "Idempotency-Key": f"int-{interest}-x"})
        assert code_of(response) == (422, code), interest
    assert audit_count(session, "loan.repayment") == 0


def test_policy_values_are_plain_and_in_range(client, keys):
    manager = keys.headers("fund_manager")
    for changes in ({"household_cap": "1e30"}, {"household_cap": "1_000"},
                    {"household_cap": "١٠٠٠٠"}, {"term_max": 1.5}, {"no_such_rule": 1}):
        response = client.put("/api/v1/policy", json={"changes": changes}, headers=manager)
        assert code_of(response) == (422, "validation_error"), changes
    too_big = client.put("/api/v1/policy", json={"changes": {"household_cap": "1000000000"}},
                         headers=manager)
    assert code_of(too_big) == (422, "invalid_policy")
    assert client.get("/api/v1/policy", headers=manager).get_json()["version"] == 1


@pytest.mark.parametrize("term", ["1.5", "12.0", "true", '"12"', str(10**30), "1e1"])
def test_integers_are_integers(client, officer, term):
    hid = household(client, officer)
    fields = json.dumps({"household_id": hid, "amount": "20000.00", "purpose": "planting",
                         "bank": "PSBC"})
    body = fields[:-1] + f", \"term_months\": {term}}}"
    response = client.post("/api/v1/applications", data=body, content_type="application/json",
                           headers={**officer, "Idempotency-Key": "int-00001"})
    assert code_of(response) == (422, "validation_error")


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2026-1-5",
                                 "20260105", "2026-W01-1"])
def test_dates_out_of_range_or_shape_are_refused(client, keys, session, day):
    set_fund(session, 50_000_000)
    keys.key("officer")
    response = disburse(client, keys.headers("bank", "PSBC"), accepted(session), "day-000001",
                        disbursed_on=day)
    assert code_of(response) == (422, "validation_error")


def test_huge_numbers_in_page_and_path_are_4xx(client, officer, keys):
    assert code_of(client.get(f"{HOUSEHOLDS}?page={10**30}", headers=officer)) == (
        422, "validation_error")
    assert code_of(client.get(f"{HOUSEHOLDS}?page=200001", headers=officer)) == (
        422, "validation_error")
    assert client.get(f"{HOUSEHOLDS}?page=200000", headers=officer).status_code == 200
    admin = keys.headers("admin")
    assert code_of(client.get(f"/api/v1/policy/{10**30}", headers=admin)) == (404, "not_found")
    assert code_of(client.get(f"{HOUSEHOLDS}/{'9' * 400}", headers=officer)) == (404, "not_found")


def test_deep_json_is_400_before_it_recurses(client, officer):
    for depth, code in ((100_000, "json_too_deep"), (20, "json_too_deep")):
        body = "[" * depth + "]" * depth
        response = client.post(HOUSEHOLDS, data=body, content_type="application/json",
                               headers=officer)
        assert code_of(response) == (400, code)


def test_lone_surrogates_and_bad_json_are_400(client, officer):
    for raw in ('{"head_name": "\\ud800"}', '{"head_name": ', b'{"x": "\xff"}'):
        response = client.post(HOUSEHOLDS, data=raw, content_type="application/json",
                               headers=officer)
        assert code_of(response) == (400, "invalid_json")


def test_nul_is_refused_in_text_path_and_query(client, officer, session):
    hid = household(client, officer)
    response = client.post(f"{HOUSEHOLDS}/{hid}/monitoring-events", headers=officer, json={
        "kind": "serious_illness", "occurred_on": "2026-01-02", "note": "hospital\u0000"})
    assert code_of(response) == (400, "nul_character")
    assert code_of(client.get(f"{HOUSEHOLDS}?village=a%00b", headers=officer)) == (
        400, "nul_character")
    assert code_of(client.get(f"{HOUSEHOLDS}/a%00b", headers=officer)) == (400, "nul_character")
    assert audit_count(session, "household.monitoring_event") == 0


def test_a_non_json_body_is_415_and_changes_nothing(client, officer, session):
    hid = household(client, officer)
    response = client.patch(f"{HOUSEHOLDS}/{hid}", data=json.dumps({"village": "西村"}),
                            content_type="text/plain", headers=officer)
    assert code_of(response) == (415, "unsupported_media_type")
    assert audit_count(session, "household.update") == 0
    assert client.get(f"{HOUSEHOLDS}/{hid}", headers=officer).get_json()["village"] == "东湖村"


def test_a_body_past_the_limit_is_413_and_the_feed_has_its_own(client, officer, keys):
    big = json.dumps({"note": "x" * (300 * 1024)})
    response = client.post(HOUSEHOLDS, data=big, content_type="application/json",
                           headers=officer)
    assert code_of(response) == (413, "payload_too_large")
    assert response.get_json()["limit"] == 256 * 1024
    rows = [{"loan_id": f"00000000-0000-0000-0000-{i:012d}", "as_of": TODAY.isoformat(),
             "days_past_due": 0} for i in range(4000)]
    feed = client.post("/api/v1/loan-status-reports", json={"rows": rows},
                       headers=keys.headers("bank", "PSBC"))
    assert feed.status_code == 200 and feed.get_json()["rejected"] == 4000


def test_head_works_where_get_does(client, officer, keys):
    hid = household(client, officer)
    for path, headers in ((HOUSEHOLDS, officer), (f"{HOUSEHOLDS}/{hid}", officer),
                          ("/api/v1/policy", keys.headers("bank", "PSBC")),
                          ("/api/v1/fund", keys.headers("fund_manager"))):
        head = client.head(path, headers=headers)
        assert head.status_code == 200, path
        assert head.get_data() == b""
    assert client.head(HOUSEHOLDS, headers=keys.headers("bank", "PSBC")).status_code == 403


def test_unknown_fields_are_refused(client, officer):
    response = client.post(HOUSEHOLDS, json={**HouseholdFactory(), "is_admin": True},
                           headers=officer)
    assert code_of(response) == (422, "validation_error")
    assert TERMS  # the terms used above are the ordinary ones
