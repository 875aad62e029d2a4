"""What a page says of a refusal: the catalogue's Chinese, never a bare code or English.

Typical refusals of three kinds: a form field marshmallow refuses (a username, a number
below its range), and a service's refusal on the page that caused it (the fund's leverage cap
on the bank's disbursement form).
"""

import re

import pytest

from creditsvc.schemas import messages
from tests.pages.bank_books import accepted, funded, post, token_of
from tests.pages.people import csrf_of

# The messages a page shows: beside a field, and in the form's alert.
SHOWN = re.compile(r'<div class="(?:invalid-feedback[^"]*|alert alert-danger)"[^>]*>(.*?)</div>',
                   re.S)
ENGLISH = re.compile(r"[a-z]{3,}|[a-z]+_[a-z_]+")


def refusals_on(html: str) -> list[str]:
    """Every refusal text the page shows, without its markup."""
    return [re.sub(r"<[^>]+>", "", m).strip() for m in SHOWN.findall(html)]


def assert_said_in_chinese(html: str) -> list[str]:
    shown = refusals_on(html)
    assert shown, "the page shows no refusal"
    for text in shown:
        assert not ENGLISH.search(text), f"English or a bare code on the page: {text!r}"
        assert not any(template.split("{")[0].strip() in text for template in messages.CODES
                       if len(template) > 12), text
    return shown


def test_a_bad_username_and_a_missing_bank_are_said_in_chinese(as_user):
    admin = as_user("admin")
    token = csrf_of(admin.get("/admin/users/new"))
    bad = admin.post("/admin/users/new", data={"name": "Li Ming!", "role": "bank",
                                               "csrf_token": token})
    assert bad.status_code == 422
    assert "用户名为 2 到 63 个小写字母" in " ".join(assert_said_in_chinese(bad.get_data(as_text=True)))
    no_bank = admin.post("/admin/users/new", data={"name": "li.two", "role": "bank",
                                                   "csrf_token": token})
    assert no_bank.status_code == 422
    assert "银行用户须选择所属银行" in " ".join(assert_said_in_chinese(no_bank.get_data(as_text=True)))


def test_a_number_below_its_range_is_said_in_chinese_on_the_stress_page(as_user):
    client = as_user("fund")
    small = client.get("/fund/stress?paths=50&seed=7&horizon=12")
    assert small.status_code == 422
    shown = assert_said_in_chinese(small.get_data(as_text=True))
    assert any("不小于 100" in text for text in shown), shown


@pytest.fixture
def _midsummer(business_date):
    business_date("2026-07-01")


def test_the_leverage_cap_is_said_from_the_catalogue_on_the_disbursement_form(as_user, _midsummer):
    funded(capital_fen=50_000)  # ¥500 of capital: ¥5,000 may be guaranteed
    app_id = accepted()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}/disburse"
    form = {"amount": "10000.00", "disbursed_on": "2026-06-15", "annual_rate": "3.00",
            "schedule": "interest_quarterly", "form_token": token_of(client.get(page))}
    refused = post(client, page, form, page)
    assert refused.status_code == 409
    shown = assert_said_in_chinese(refused.get_data(as_text=True))
    assert "放款将超过风险补偿金的放大倍数上限（资本金×杠杆），待基金注资后再办理" in shown
