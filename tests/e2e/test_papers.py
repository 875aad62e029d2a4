"""A bank prints a 代偿申请表 in a real browser: the download is a PDF whose text is the claim's."""

import re
import subprocess

import pytest

from creditsvc.infra.extensions import db
from models import Claim
from tests.pages.bank_books import funded, loan, paid_claim
from tests.pages.papers_books import NEEDS_POPPLER, flat, money
from tests.pages.people import make_person
from tests.today import TODAY

pytestmark = [pytest.mark.e2e, NEEDS_POPPLER]


def test_a_bank_prints_a_claim_form_from_its_claims_page(visit, app, tmp_path, business_date):
    business_date(TODAY)
    psbc = make_person("psbc-papers", "bank", "PSBC")
    funded()
    claim_id = paid_claim(loan(dpd=120, accrued_interest_unpaid_fen=12_345))
    claim = db.session.get(Claim, claim_id)
    filed = claim.computation
    db.session.close()
    tab = visit()
    tab.sign_in(psbc)
    tab.page.wait_for_url("**/bank")
    tab.go("/bank/claims")
    link = tab.page.locator(f"a.print-claim[href='/papers/claims/{claim_id}']")
    assert link.inner_text() == "打印代偿申请表"
    tab.shot("bank-claims-print")
    with tab.page.expect_download() as download:
        link.click()
    got = download.value
    assert re.fullmatch(r"代偿申请表-DC-\d{4}-\d{6}\.pdf", got.suggested_filename), \
        got.suggested_filename
    path = tmp_path / "claim.pdf"
    got.save_as(path)
    text = flat(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                               check=True).stdout.decode())
    assert money(filed["amount"]) == "¥8,098.76"  # 80% x (10,000.00 + 123.45 - 0)
    for part in ("扶贫小额信贷风险补偿金代偿申请表", money(filed["outstanding_principal"]),
                 money(filed["accrued_unpaid_interest"]), money(filed["recoveries_so_far"]),
                 money(filed["claimable_base"]), "80%", money(filed["amount"]), "120天",
                 "贷款银行意见", "财政局意见", "风险补偿金管理方意见", "第1页/共1页"):
        assert part in text, part
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "claim")], check=True)
    assert list(tmp_path.glob("claim-1.png"))
