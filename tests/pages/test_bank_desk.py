"""The bank desk: who may open it, its counts, and another bank's objects answering 404."""

import re

import pytest

from tests.pages.bank_books import accepted, approved, funded, loan, paid_claim, post

PAGES = ("/bank", "/bank/applications", "/bank/loans", "/bank/claims")


@pytest.mark.parametrize("who", ["officer", "fund", "admin"])
def test_only_bank_users_open_the_desk(as_user, who):
    client = as_user(who)
    for path in PAGES:
        assert client.get(path).status_code == 403, path
    funded()
    app_id, loan_id = approved(), loan()
    assert client.get(f"/bank/applications/{app_id}").status_code == 403
    assert client.get(f"/bank/loans/{loan_id}").status_code == 403
    page = "/account/password"
    for path in (f"/bank/applications/{app_id}/decision", "/bank/applications/bulk-accept",
                 f"/bank/loans/{loan_id}/repayments", f"/bank/loans/{loan_id}/claim",
                 "/bank/recoveries"):
        assert post(client, path, {"reason": "ok"}, page).status_code == 403, path


def test_a_bank_user_lands_on_the_desk_with_its_areas(as_user):
    client = as_user("psbc")
    assert client.get("/").headers["Location"] == "/bank"
    text = client.get("/bank/loans").get_data(as_text=True)
    for area in ("工作台", "待受理", "贷款", "代偿"):
        assert f">{area}</a>" in text
    # Only the area being shown is marked current, not the desk that prefixes it.
    assert re.findall(r'aria-current="page" href="([^"]+)"', text) == ["/bank/loans"]


def _figure(text, element_id):
    return re.search(rf'id="{element_id}">([^<]+)<', text).group(1).strip()


def test_the_desk_counts_only_its_own_bank(as_user):
    funded()
    approved(approved_amount_fen=1_000_000)
    approved(approved_amount_fen=2_500_000)
    approved("ABC")
    accepted()
    loan()
    loan(dpd=120)
    loan(dpd=30)
    claimed = loan(dpd=200)
    paid_claim(claimed)
    loan("ABC", dpd=150)
    text = as_user("psbc").get("/bank").get_data(as_text=True)
    assert _figure(text, "queue-count") == "2" and "¥35,000.00" in text
    assert _figure(text, "claimable-count") == "1"
    # 正常 1, 关注 1, 次级 1 (the claimed loan left the active book)
    assert [_figure(text, f"class-{i}") for i in range(1, 6)] == ["1", "1", "1", "0", "0"]
    assert _figure(text, "claims-paid") == "1" and _figure(text, "claims-filed") == "0"
    abc = as_user("abc").get("/bank").get_data(as_text=True)
    assert _figure(abc, "queue-count") == "1" and _figure(abc, "claimable-count") == "1"


def test_another_banks_objects_are_not_found(as_user):
    funded()
    app_id, ready_id, loan_id = approved("ABC"), accepted("ABC"), loan("ABC", dpd=120)
    psbc = as_user("psbc")
    for path in (f"/bank/applications/{app_id}", f"/bank/applications/{ready_id}/disburse",
                 f"/bank/loans/{loan_id}"):
        response = psbc.get(path)
        assert response.status_code == 404, path
        assert "找不到这个页面或记录" in response.get_data(as_text=True)
    for path, data in ((f"/bank/applications/{app_id}/decision", {"decision": "accept", "reason": "ok"}),
                       (f"/bank/applications/{ready_id}/disburse/preview", {}),
                       (f"/bank/applications/{ready_id}/disburse", {}),
                       (f"/bank/loans/{loan_id}/repayments", {}),
                       (f"/bank/loans/{loan_id}/status-reports", {}),
                       (f"/bank/loans/{loan_id}/extension", {}),
                       (f"/bank/loans/{loan_id}/diversion", {}),
                       (f"/bank/loans/{loan_id}/claim", {}),
                       ("/bank/recoveries", {"loan_id": loan_id, "amount": "1.00",
                                             "recovered_on": "2026-01-05"})):
        assert post(psbc, path, data).status_code == 404, path
    assert as_user("abc").get(f"/bank/loans/{loan_id}").status_code == 200
