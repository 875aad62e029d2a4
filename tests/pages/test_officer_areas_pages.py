"""The admin gives officers their area and real name; officers' lists follow; numbers are searchable."""

from tests.books import fund_with
from tests.factories import ApplicationFactory, LoanFactory
from tests.pages.people import csrf_of, make_person
from tests.pages.test_desk_and_loans import total_of


def post(client, path, data, page="/admin/users"):
    return client.post(path, data={**data, "csrf_token": csrf_of(client.get(page))})


def test_the_admin_assigns_towns_and_villages_and_a_real_name(as_user, people):
    officer = make_person("officer-new", area=())
    admin = as_user("admin")
    listed = admin.get("/admin/users").get_data(as_text=True)
    assert "未分配区域" in listed
    page = f"/admin/users/{officer.user_id}"
    response = post(admin, f"{page}/areas", {"areas": ["地都镇", "渔湖镇/东湖村"]})
    assert response.status_code == 302
    response = post(admin, f"{page}/name", {"display_name": "陈静"})
    assert response.status_code == 302
    body = admin.get(page).get_data(as_text=True)
    assert 'value="地都镇" id="area-1" checked' in body and 'value="渔湖镇/东湖村"' in body
    listed = admin.get("/admin/users").get_data(as_text=True)
    assert "陈静" in listed and "地都镇、渔湖镇 东湖村" in listed
    refused = post(admin, f"{page}/areas", {"areas": ["北京市"]})
    assert refused.status_code == 422 and "alert" in refused.get_data(as_text=True)
    bank = post(admin, f"/admin/users/{people['psbc'].user_id}/areas", {"areas": ["地都镇"]})
    assert bank.status_code == 422


def test_an_officer_without_an_area_is_told_to_ask_the_admin(app, as_user, people):
    fund_with(app.extensions["sqlalchemy"].session, 50_000_000)
    LoanFactory(town="渔湖镇")
    officer = make_person("officer-none", area=())
    client = as_user("officer")
    assert total_of(client.get("/loans")) == 1  # the fixtures' officers work in every town
    from tests.pages.people import sign_in

    lonely = app.test_client()
    sign_in(lonely, officer)
    for path in ("/desk", "/households", "/loans", "/reviews"):
        body = lonely.get(path).get_data(as_text=True)
        assert 'id="no-area"' in body and "请联系系统管理员" in body, path
    assert total_of(lonely.get("/loans")) == 0


def test_loans_and_applications_are_found_by_number(app, as_user):
    fund_with(app.extensions["sqlalchemy"].session, 50_000_000)
    loan = LoanFactory(town="渔湖镇", number="PSBC-2025-000123")
    LoanFactory(town="渔湖镇")
    application = ApplicationFactory(number="SQ-2026-000045")
    ApplicationFactory()
    officer = as_user("officer")
    found = officer.get("/loans", query_string={"q": "psbc-2025-123"})
    assert total_of(found) == 1 and "PSBC-2025-000123" in found.get_data(as_text=True)
    listed = officer.get("/applications", query_string={"q": "SQ-2026-000045"}).get_data(as_text=True)
    assert listed.count('class="app-number"') == 1 and application.number in listed
    bank = as_user("psbc")
    body = bank.get("/bank/loans", query_string={"number": "PSBC-2025-000123"}).get_data(as_text=True)
    assert body.count('class="loan-number"') == 1
    assert "PSBC-2025-000123" in bank.get(f"/bank/loans/{loan.id}").get_data(as_text=True)
