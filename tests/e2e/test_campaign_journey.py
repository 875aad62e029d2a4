"""A village campaign from survey to granted lines in the browser, at 1366 px and at 360 px:
open it, rate all (a job), the committee's views (an error beside its row first), 公示 and its
printed list (saved as a PDF and read back), an objection upheld, the notice ended by the
business date, the grant, and the household's line on its file."""

import shutil
import subprocess
from datetime import timedelta

import pytest
from sqlalchemy import select

from creditsvc.core.pii import PiiCipher
from creditsvc.infra.extensions import db
from creditsvc.schemas.households import HouseholdInSchema
from creditsvc.services.households import files as households
from creditsvc.services.platform.uow import UnitOfWork
from models import CreditLine, HouseholdSurvey
from tests.conftest import ACTOR
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_feed_job import start_worker  # noqa: F401 - the fixture, shared
from tests.factories import HouseholdFactory
from tests.pages.people import make_person
from tests.today import TODAY

pytestmark = pytest.mark.e2e
WIDTHS = pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
NAMES = ("陈建国", "林秀英", "黄志强", "郑美玲")


def _surveyed_village(app) -> tuple[list[str], list[str]]:
    """Four households of 渔湖镇 东湖村 with survey sheets (willing, ¥20,000 for planting):
    their ids and their heads' ID numbers."""
    cipher = app.extensions["creditsvc.core.pii"]
    assert isinstance(cipher, PiiCipher)
    made, numbers = [], []
    with UnitOfWork(db.session) as uow:
        for name in NAMES:
            payload = HouseholdFactory(head_name=name)
            numbers.append(payload["id_number"])
            h = households.create_household(uow.session, ACTOR, cipher,
                                            HouseholdInSchema().load(payload))
            uow.session.add(HouseholdSurvey(household_id=h.id, willing=True, purpose="planting",
                                            intended_amount_fen=2_000_000, term_months=24,
                                            surveyor="李晓明", surveyed_on=TODAY - timedelta(days=5)))
            made.append(h.id)
        uow.commit()
    db.session.close()
    return made, numbers


def _pdf_text(path: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing (Debian poppler-utils; tests/setup_browser.sh installs it)")
    return subprocess.run(["pdftotext", "-layout", path, "-"], check=True, capture_output=True,
                          text=True).stdout


@WIDTHS
def test_a_campaign_from_survey_to_granted_lines(visit, app, phone, business_date,
                                                  start_worker):  # noqa: F811
    size = "phone" if phone else "desktop"
    ids, numbers = _surveyed_village(app)
    officer = make_person(f"officer-campaign-{size}", area=("渔湖镇/东湖村",))
    start_worker()
    tab = visit(phone=phone)
    page = tab.page
    tab.sign_in(officer)
    page.wait_for_url("**/desk")
    page.click("#desk-campaigns")
    page.wait_for_url("**/campaigns")
    page.select_option("#f-area", "渔湖镇/东湖村")
    assert tab.unlabelled_inputs() == []
    page.click("#open-form button[type=submit]")
    page.wait_for_selector("text=已建立评级活动 PJ-2026-000001")
    assert "4 户有贷款意愿" in page.locator("#step-survey").inner_text()

    # 评级: a job; the page follows its progress and reloads when it ends.
    page.click("#rate-all")
    page.wait_for_selector("#campaign-status:has-text('待村委评议')", timeout=60_000)
    assert "4 户已评级" in page.locator("#step-rating").inner_text()
    grades = page.locator("#entries tbody tr td:nth-child(4)").all_inner_texts()
    assert len(grades) == 4 and all(g.strip() for g in grades)
    assert not tab.overflows()
    tab.shot(f"campaign-rated-{size}")

    # 村委会评议: one page for the whole list; a wrong row is refused beside itself.
    page.click("#committee-link")
    selects = page.locator("#views select")
    for i in range(4):
        selects.nth(i).select_option("agree")
    selects.nth(1).select_option("lower")
    page.locator("#views input[name^=line-]").nth(1).fill("5000")
    page.locator("#views input[name^=note-]").nth(3).fill("")
    selects.nth(3).select_option("disagree")
    assert tab.unlabelled_inputs() == []
    page.click("#save-views")
    page.wait_for_selector("text=村委会意见有 2 户填写有误")
    errors = page.locator("#views tr.table-danger").all_inner_texts()
    assert len(errors) == 2 and all("写明理由" in e for e in errors)
    tab.shot(f"campaign-committee-errors-{size}")
    page.locator("#views input[name^=note-]").nth(1).fill("家庭收入不稳定")
    page.locator("#views input[name^=note-]").nth(3).fill("本人暂不需要贷款")
    page.click("#save-views")
    page.wait_for_selector("text=已保存村委会意见（4 户有改动）")

    # 公示: started today, the list on screen and on paper.
    page.click("#start-notice")
    page.wait_for_selector("text=公示已开始")
    assert "2026年11月2日 至 2026年11月9日" in page.locator("#step-notice").inner_text()
    page.click("#notice-link")
    listed = page.locator("#notice-list").inner_text()
    assert "陈*" in listed and "林**" in listed and "郑**" not in listed  # disagreed: not posted
    assert "陈建国" not in page.content()
    tab.shot(f"campaign-notice-{size}")
    page.select_option("#f-entry_id", index=1)
    page.fill("#f-raised_by", "王小明")
    page.fill("#f-content", "该户另有稳定务工收入")
    page.click("#objection-form button[type=submit]")
    page.wait_for_selector("text=异议已登记")
    assert "提出人：王**" in page.locator("#objections").inner_text()

    page.goto(page.url.replace("/notice", "/notice/print").split("#")[0])
    page.emulate_media(media="print")
    pdf = f"{SCREENSHOTS}/campaign-notice-print-{size}.pdf"
    page.pdf(path=pdf, format="A4", print_background=True)
    text = _pdf_text(pdf)
    assert "渔湖镇 东湖村 扶贫小额信贷评级授信公示" in text
    assert "2026年11月2日 至 2026年11月9日" in text and "村委会（盖章）" in text
    assert text.count("********") == 3 and not any(n in text for n in numbers)
    assert "陈建国" not in text and "陈*" in text and "郑**" not in text
    page.emulate_media(media="screen")
    tab.shot(f"campaign-notice-print-{size}")

    # The grant waits for the notice to end and the objection to be resolved.
    page.goto(page.url.replace("/notice/print", ""))
    business_date(TODAY + timedelta(days=8))
    page.click("#grant")
    page.wait_for_selector("#step-error")
    assert "还有 1 条异议未处理" in page.locator("#step-error").inner_text()
    page.click("#notice-link")
    page.select_option("select[id$=outcome]", "adjust")
    page.fill("input[id$=-line]", "8000")
    page.fill("input[id$=resolution]", "经村委会核实属实，额度调整为八千元")
    page.click("#objections button[type=submit]")
    page.wait_for_selector("text=异议已处理")
    page.goto(page.url.replace("/notice", ""))
    page.click("#grant")
    page.wait_for_selector("text=已授信。各户的授信额度已生效。")
    assert "已授信" in page.locator("#campaign-status").inner_text()
    assert not tab.overflows()
    tab.shot(f"campaign-granted-{size}")

    lines = db.session.execute(select(CreditLine).order_by(CreditLine.line_fen)).scalars().all()
    db.session.close()
    assert len(lines) == 3 and {x.household_id for x in lines} < set(ids)
    page.locator("#entries tbody a").first.click()
    page.wait_for_selector("#credit-lines")
    assert "2026年11月10日 – 2028年11月9日" in page.locator("#credit-lines").inner_text()
    tab.shot(f"campaign-household-line-{size}")
