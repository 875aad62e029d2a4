"""放款: the form with the rate cap, the schedule preview with totals per year, confirmation once."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from lending import schedule
from models import Application, Loan
from tests.pages.bank_books import accepted, approved, funded, post, token_of

TERMS = {"amount": "10000.00", "disbursed_on": "2026-06-15", "annual_rate": "3.00",
         "schedule": "interest_quarterly"}


@pytest.fixture(autouse=True)
def _midsummer(business_date):
    business_date("2026-07-01")
    funded()


def loans_of(app_id):
    return db.session.execute(select(func.count()).select_from(Loan).where(
        Loan.application_id == app_id)).scalar_one()


def test_the_form_shows_the_approved_amount_and_the_rate_cap(as_user):
    app_id = accepted(approved_amount_fen=800_000)
    text = as_user("psbc").get(f"/bank/applications/{app_id}/disburse").get_data(as_text=True)
    assert re.search(r'id="rate-cap">3.00%（一年期 LPR）', text)
    assert 'name="amount"' in text and 'value="8000.00"' in text and 'value="2026-07-01"' in text
    assert 'value="3.00"' in text and "按季付息、到期还本" in text


def test_only_an_accepted_application_is_disbursed(as_user):
    client = as_user("psbc")
    waiting = approved()
    response = client.get(f"/bank/applications/{waiting}/disburse")
    assert response.status_code == 302 and response.headers["Location"].endswith(waiting)


def test_the_preview_has_the_schedule_and_its_totals_per_year(as_user):
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    token = token_of(client.get(page))
    fragment = client.post(f"{page}/preview", data={**TERMS, "form_token": token,
                                                    "csrf_token": _csrf(client, page)},
                           headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text, text  # a fragment, not a page
    items = schedule.build("interest_quarterly", 1_000_000, 300, date(2026, 6, 15), 12)
    first_year = sum(i.interest_fen for i in items if i.due_on.year == 2026)
    second_year = sum(i.interest_fen for i in items if i.due_on.year == 2027)
    rows = re.findall(r"<tr><td>(\d{4})</td><td class=\"money\">([^<]+)</td><td class=\"money\">"
                      r"([^<]+)</td><td class=\"money\">([^<]+)</td></tr>", text)
    assert rows == [("2026", "¥0.00", _yuan(first_year), _yuan(first_year)),
                    ("2027", "¥10,000.00", _yuan(second_year), _yuan(1_000_000 + second_year))]
    assert _yuan(first_year + second_year) in text and "逐期明细（4 期）" in text
    # The confirmation carries exactly the previewed terms and the form's token.
    confirm = text[text.index('id="confirm-form"'):]
    for name, value in {**TERMS, "form_token": token}.items():
        assert f'name="{name}" value="{value}"' in confirm
    whole = client.post(f"{page}/preview", data={**TERMS, "form_token": token,
                                                 "csrf_token": _csrf(client, page)})
    assert "<html" in whole.get_data(as_text=True) and "按年合计" in whole.get_data(as_text=True)


def test_the_preview_refuses_terms_past_the_approved_amount_or_the_cap(as_user):
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    high = client.post(f"{page}/preview", headers={"HX-Request": "true"}, data={
        **TERMS, "amount": "12000.00", "annual_rate": "3.10", "csrf_token": _csrf(client, page)})
    text = high.get_data(as_text=True)
    assert high.status_code == 422 and "放款金额不得超过核准金额" in text
    assert "利率不得超过该期限的 LPR 上限 3.00%" in text and "确认放款" not in text
    bad = client.post(f"{page}/preview", headers={"HX-Request": "true"}, data={
        **TERMS, "disbursed_on": "2026-02-30", "csrf_token": _csrf(client, page)})
    assert bad.status_code == 422 and "日期格式为" in bad.get_data(as_text=True)


def test_confirm_disburses_once_however_often_it_is_sent(as_user):
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    form = {**TERMS, "form_token": token_of(client.get(page))}
    first, second = post(client, page, form, page), post(client, page, form, "/bank")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert loans_of(app_id) == 1
    loan = db.session.execute(select(Loan).where(Loan.application_id == app_id)).scalar_one()
    assert first.headers["Location"] == f"/bank/loans/{loan.id}"
    assert loan.principal_fen == 1_000_000 and loan.rate_bp == 300
    assert loan.disbursed_on == date(2026, 6, 15) and len(loan.schedule) == 4
    assert db.session.get(Application, app_id).status == "disbursed"
    shown = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "此表单已提交过，未重复放款。" in shown
    # The application's disbursement page now leads to its loan.
    assert client.get(page).headers["Location"] == f"/bank/loans/{loan.id}"


def test_a_cap_refusal_is_shown_in_chinese_and_nothing_is_paid(as_user):
    funded(capital_fen=50_000)  # ¥500 of capital: ¥5,000 may be guaranteed
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    form = {**TERMS, "form_token": token_of(client.get(page))}
    refused = post(client, page, form, page)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "放大倍数上限" in text
    assert loans_of(app_id) == 0 and db.session.get(Application, app_id).status == "accepted"
    # The refusal was not remembered: after a top-up the same form pays out.
    funded()
    assert post(client, page, form, page).status_code == 303 and loans_of(app_id) == 1


def test_field_refusals_are_shown_beside_the_fields(as_user):
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    late = post(client, page, {**TERMS, "disbursed_on": "2026-07-02",
                               "form_token": token_of(client.get(page))}, page)
    assert late.status_code == 422 and 'id="disbursed_on-error"' in late.get_data(as_text=True)
    assert "日期不能晚于今天" in late.get_data(as_text=True)
    no_token = post(client, page, TERMS, page)
    assert no_token.status_code == 422 and "表单已失效" in no_token.get_data(as_text=True)
    assert loans_of(app_id) == 0


def _csrf(client, page):
    from tests.pages.people import csrf_of
    return csrf_of(client.get(page))


def _yuan(fen):
    return f"¥{fen / 100:,.2f}"


def test_every_reason_is_beside_its_field_at_once(as_user):
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    terms = {**TERMS, "amount": "12000.00", "annual_rate": "3.10", "disbursed_on": "2026-07-02"}
    # The htmx preview: a 422 (swapped, see base.html) whose fields come back out of band.
    answer = client.post(f"{page}/preview", headers={"HX-Request": "true"},
                         data={**terms, "csrf_token": _csrf(client, page)})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and 'id="disburse-fields" hx-swap-oob="true"' in text
    for field, reason in (("amount", "放款金额不得超过核准金额"), ("annual_rate", "LPR 上限 3.00%"),
                          ("disbursed_on", "日期不能晚于今天")):
        assert re.search(rf'id="{field}-error">[^<]*{reason}', text), field
    # Confirming the same terms: the whole page, the three reasons together, nothing paid.
    refused = post(client, page, {**terms, "form_token": token_of(client.get(page))}, page)
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert all(f'id="{f}-error"' in text for f in ("amount", "annual_rate", "disbursed_on"))
    assert loans_of(app_id) == 0
