"""A refusal in a real browser: a bank user types a rate above the cap on 放款 and reads the
reason beside the rate field (the preview answers 422, which the page's htmx config swaps).
At 1366 px and at 360 px."""

import re

import pytest
from playwright.sync_api import expect

from tests.pages.bank_books import accepted, funded
from tests.pages.people import make_person

pytestmark = pytest.mark.e2e
WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])


@WIDTHS
def test_a_rate_above_the_cap_is_refused_beside_the_rate_field(visit, app, phone):
    size = "phone" if phone else "desktop"
    bank = make_person(f"psbc-rate-{size}", "bank", "PSBC")
    funded()
    app_id = accepted(approved_amount_fen=1_000_000, term_months=12)
    tab = visit(phone=phone)
    tab.sign_in(bank)
    tab.page.wait_for_url("**/bank")
    tab.go(f"/bank/applications/{app_id}/disburse")
    cap = tab.page.locator("#rate-cap").inner_text().split("%")[0]
    above = f"{float(cap) + 1:.2f}"
    tab.page.fill("#f-annual_rate", above)
    tab.page.click("text=预览还款计划")
    reason = tab.page.locator("#annual_rate-error")
    reason.wait_for()
    assert f"利率不得超过该期限的 LPR 上限 {cap}%" in reason.inner_text()
    rate = tab.page.locator("#f-annual_rate")
    # htmx settles a swapped element's attributes a moment after its content: wait for them.
    expect(rate).to_have_class(re.compile(r"\bis-invalid\b"))
    assert rate.input_value() == above
    # Beside the field: right under the rate input, and on screen with it.
    field, said = rate.bounding_box(), reason.bounding_box()
    assert 0 <= said["y"] - (field["y"] + field["height"]) < 80
    assert abs(said["x"] - field["x"]) < 20
    assert tab.page.locator("#confirm-form").count() == 0  # nothing to confirm
    assert not tab.overflows()
    tab.shot(f"bank-disburse-rate-above-cap-{size}")
    # Corrected, the preview and its confirmation appear and the reason is gone.
    tab.page.fill("#f-annual_rate", cap)
    tab.page.click("text=预览还款计划")
    tab.page.wait_for_selector("#confirm-form")
    assert tab.page.locator("#annual_rate-error").count() == 0
    expect(rate).not_to_have_class(re.compile(r"\bis-invalid\b"))
