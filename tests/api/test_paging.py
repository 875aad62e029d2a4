"""Keyset paging of the lists: cursors walk every row once; numbered pages still work."""

from tests.books import fund_with
from tests.factories import LoanFactory


def _walk(client, url, headers, size=2):
    seen, cursor = [], None
    while True:
        got = client.get(f"{url}?page_size={size}" + (f"&after={cursor}" if cursor else ""),
                         headers=headers)
        assert got.status_code == 200, got.get_json()
        assert got.headers["X-Total-Estimated"] == "false"
        seen += [row["id"] for row in got.get_json()]
        cursor = got.headers.get("X-Next-Cursor")
        if not cursor:
            return seen


def test_cursors_walk_each_list_once_in_order(client, keys, session):
    fund_with(session, 100_000_000)
    mine = [LoanFactory().id for _ in range(5)]
    LoanFactory(bank_code="ABC")
    psbc, manager = keys.headers("bank", "PSBC"), keys.headers("fund_manager")
    assert _walk(client, "/api/v1/loans", psbc) == mine
    everything = _walk(client, "/api/v1/loans", manager, size=4)
    assert len(everything) == len(set(everything)) == 6
    numbered = client.get("/api/v1/loans?page=2&page_size=2", headers=psbc)
    assert [r["id"] for r in numbered.get_json()] == mine[2:4]
    assert '"total": 5' in numbered.headers["X-Pagination"]
    households = _walk(client, "/api/v1/households", manager, size=3)
    assert len(set(households)) == 6
    applications = _walk(client, "/api/v1/applications", psbc)
    assert len(applications) == 5


def test_a_bad_cursor_is_422(client, keys):
    got = client.get("/api/v1/households?after=not-a-cursor", headers=keys.headers("officer"))
    assert got.status_code == 422 and got.get_json()["code"] == "invalid_cursor"


def test_past_the_cap_the_total_is_flagged_as_estimated(client, keys, session, monkeypatch):
    from creditsvc.infra.extensions import db
    from creditsvc.services.platform import paging

    fund_with(session, 100_000_000)
    for _ in range(4):
        LoanFactory()
    monkeypatch.setattr(paging, "COUNT_CAP", 2)
    got = client.get("/api/v1/applications?page_size=2", headers=keys.headers("bank", "PSBC"))
    assert got.status_code == 200, got.get_json()
    estimated = db.engine.dialect.name == "postgresql"  # SQLite always counts
    assert got.headers["X-Total-Estimated"] == ("true" if estimated else "false")
    assert len(got.get_json()) == 2 and got.headers["X-Next-Cursor"]
