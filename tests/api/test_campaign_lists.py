"""The lists over the API: 信用评级 and 应贷未贷, paged, in the officer's area, officers only."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from creditsvc.services.access import areas
from models import User
from tests.campaign_books import rated
from tests.conftest import ACTOR
from tests.today import TODAY
from tests.work import done


def assign(session, keys, name: str, *area: str) -> dict:
    headers = keys.headers("officer", name=name)
    user_id = session.execute(select(User.id).where(User.name == name)).scalar_one()
    done(session, areas.assign, ACTOR, user_id, [areas.Area.parse(a) for a in area])
    return headers


@pytest.fixture
def book(session):
    return {"waiting": rated("渔湖镇", "东湖村", grade="AAA"),
            "expired": rated("渔湖镇", "东湖村", valid_from=TODAY - timedelta(days=800),
                             granted_on=TODAY - timedelta(days=800),
                             valid_until=TODAY - timedelta(days=1)),
            "unwilling": rated("渔湖镇", "西田村", willing=False),
            "elsewhere": rated("地都镇", "新村")}


def test_the_rating_list_pages_with_a_total(client, session, keys, book):
    officer = assign(session, keys, "officer-yuhu", "渔湖镇")
    first = client.get("/api/v1/lists/credit-ratings?page_size=2", headers=officer)
    assert first.status_code == 200, first.get_json()
    rows = first.get_json()
    assert [r["household_id"] for r in rows] == [book["waiting"], book["expired"]]
    assert rows[0] | {"line_id": None} == {
        "line_id": None, "household_id": book["waiting"], "head_name": "陈*", "town": "渔湖镇",
        "village": "东湖村", "grade": "AAA", "line": "50000.00",
        "granted_on": (TODAY - timedelta(days=30)).isoformat(),
        "valid_from": (TODAY - timedelta(days=30)).isoformat(),
        "valid_until": rows[0]["valid_until"], "state": "valid"}
    assert rows[1]["state"] == "expired"
    assert first.headers["X-Total-Estimated"] == "false"
    assert '"total": 3' in first.headers["X-Pagination"]
    rest = client.get(f"/api/v1/lists/credit-ratings?page_size=2&after={first.headers['X-Next-Cursor']}",
                      headers=officer).get_json()
    assert [r["household_id"] for r in rest] == [book["unwilling"]]
    graded = client.get("/api/v1/lists/credit-ratings?grade=AAA&state=valid", headers=officer)
    assert [r["household_id"] for r in graded.get_json()] == [book["waiting"]]
    assert client.get("/api/v1/lists/credit-ratings?state=lost", headers=officer).status_code == 422


def test_unborrowed_and_its_counts(client, session, keys, book):
    officer = assign(session, keys, "officer-both", "渔湖镇", "地都镇")
    rows = client.get("/api/v1/lists/unborrowed", headers=officer).get_json()
    assert [r["household_id"] for r in rows] == [book["waiting"], book["elsewhere"]]
    assert rows[0]["intended_amount"] == "20000.00" and rows[0]["line"] == "50000.00"
    by_village = client.get("/api/v1/lists/unborrowed?village=新", headers=officer).get_json()
    assert [r["household_id"] for r in by_village] == [book["elsewhere"]]
    counts = client.get("/api/v1/lists/unborrowed/counts", headers=officer).get_json()
    assert counts == {"as_of": TODAY.isoformat(), "total": 2, "towns": [
        {"town": "地都镇", "count": 1, "villages": [{"village": "新村", "count": 1}]},
        {"town": "渔湖镇", "count": 1, "villages": [{"village": "东湖村", "count": 1}]}]}


@pytest.mark.parametrize("path", ["/api/v1/lists/credit-ratings", "/api/v1/lists/unborrowed",
                                  "/api/v1/lists/unborrowed/counts"])
def test_outside_the_area_nothing_and_other_roles_403(client, session, keys, book, path):
    elsewhere = assign(session, keys, "officer-paotai", "砲台镇")
    answer = client.get(path, headers=elsewhere)
    assert answer.status_code == 200
    assert answer.get_json() in ([], {"as_of": TODAY.isoformat(), "total": 0, "towns": []})
    for role in ("bank", "fund_manager", "admin"):
        refused = client.get(path, headers=keys.headers(role))
        assert refused.status_code == 403 and refused.get_json()["code"] == "role_forbidden"


def test_the_lists_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/lists/credit-ratings", "/api/v1/lists/unborrowed",
                 "/api/v1/lists/unborrowed/counts"):
        assert spec["paths"][path]["get"]["summary"], path
    assert "UnborrowedCounts" in spec["components"]["schemas"]
