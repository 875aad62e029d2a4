"""导出 on the pages: the button carries the list's filters, the file is the list as filtered
(masked, or revealed with a reason, audited), a large export runs as a job whose file only its
owner downloads; 到期贷款 on the officer's and the bank's desk."""

import hashlib
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from creditsvc.jobs import worker
from models import AuditEvent, Household, Job
from tests.pages.people import csrf_of, sign_in
from tests.services.export_books import export_book
from tests.today import TODAY

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def book(app, session):
    loans, actors, people = export_book(session)

    def as_(who):
        client = app.test_client()
        assert sign_in(client, people[who]).status_code == 302
        return client

    return loans, people, as_


def rows_of(response):
    assert response.status_code == 200 and response.mimetype == XLSX, response.get_data()[:500]
    return list(openpyxl.load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))


def post(client, url, **form):
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)[:1000]
    return client.post(url, data={"csrf_token": csrf_of(page), **form})


def test_the_loan_lists_button_carries_its_filters_to_the_export(book):
    loans, _, as_ = book
    li = as_("li")
    page = li.get("/loans?class=关注&status=active").get_data(as_text=True)
    href = re.search(r'id="export" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert href.startswith("/exports/area_loans?") and "class=" in href and "status=active" in href
    form = li.get(href).get_data(as_text=True)
    assert '<dd class="col-sm-9" id="export-rows">1</dd>' in form
    assert "五级分类：关注" in form and "状态：在贷" in form
    rows = rows_of(post(li, href))
    assert [r[0] for r in rows[5:]] == [loans["fallen"].number]
    assert rows[3][0] == "个人信息已遮蔽"


def test_a_reveal_without_a_reason_is_refused_beside_the_field(book, session):
    _, _, as_ = book
    li = as_("li")
    answer = post(li, "/exports/area_loans", reveal="true")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="reason-error">显示完整个人信息须填写理由（至少 8 个字）', text)
    assert session.execute(select(AuditEvent).where(AuditEvent.action == "export.reveal")).first() is None


def test_a_revealed_export_is_audited_with_the_files_hash(app, book, session):
    loans, _, as_ = book
    cipher = app.extensions["creditsvc.core.pii"]
    h = session.get(Household, loans["due30"].household_id)
    h.head_name_enc, h.id_number_enc = cipher.encrypt("陈建国"), cipher.encrypt("445221198005170011")
    session.commit()
    li = as_("li")
    answer = post(li, f"/exports/area_loans?q={loans['due30'].number}", reveal="true",
                  reason="县里核对贷款户名单")
    rows = rows_of(answer)
    assert rows[5][:3] == (loans["due30"].number, "陈建国", "445221198005170011")
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "export.reveal")).scalar_one()
    assert event.detail["sha256"] == hashlib.sha256(answer.data).hexdigest()
    assert event.detail["rows"] == 1


def test_a_bank_exports_its_own_loans_and_may_not_reveal(book):
    loans, _, as_ = book
    psbc = as_("psbc")
    page = psbc.get("/bank/loans").get_data(as_text=True)
    assert 'href="/exports/loans"' in page
    form = psbc.get("/exports/loans").get_data(as_text=True)
    assert 'name="reveal"' not in form
    numbers = {r[0] for r in rows_of(post(psbc, "/exports/loans"))[5:]}
    assert numbers == {loan.number for loan in loans.values() if loan.bank_code == "PSBC"}
    refused = post(psbc, "/exports/loans", reveal="true", reason="县里核对贷款户名单")
    assert refused.status_code == 403
    assert "您的角色不能在导出中显示完整个人信息" in refused.get_data(as_text=True)
    assert psbc.get("/exports/households").status_code == 403


def test_a_large_export_runs_as_a_job_whose_file_only_its_owner_gets(app, book, session):
    loans, _, as_ = book
    app.config["EXPORT_JOB_ROWS"] = 2
    psbc = as_("psbc")
    answer = post(psbc, "/exports/loans")
    assert answer.status_code == 302 and answer.location.startswith("/jobs/")
    job_id = answer.location.rsplit("/", 1)[1]
    assert worker.run(session, once=True, beat_seconds=0.2) == 1
    job = session.get(Job, job_id)
    assert job.status == "done" and job.kind == "export" and job.result["rows"] == 5
    shown = psbc.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "导出" in shown and f"/jobs/{job_id}/result" in shown and job.result["sha256"] in shown
    got = psbc.get(f"/jobs/{job_id}/result")
    assert hashlib.sha256(got.data).hexdigest() == job.result["sha256"]
    assert {r[0] for r in rows_of(got)[5:]} == {
        loan.number for loan in loans.values() if loan.bank_code == "PSBC"}
    for other in ("abc", "li"):  # another bank, another role: as if it did not exist
        assert as_(other).get(f"/jobs/{job_id}/result").status_code == 404
        assert as_(other).get(f"/jobs/{job_id}").status_code == 404


def test_the_desks_count_the_loans_coming_and_fallen_due(book):
    loans, _, as_ = book
    li, abc = as_("li"), as_("abc")
    desk = li.get("/desk").get_data(as_text=True)
    assert re.search(r'id="stat-coming-due">\s*<div class="card-body">\s*<div class="count[^"]*">1<', desk)
    due = li.get("/loans/due?which=coming").get_data(as_text=True)
    assert loans["due30"].number in due and loans["due31"].number not in due
    assert loans["wang"].number not in due
    bank = abc.get("/bank").get_data(as_text=True)
    assert re.search(r'id="fallen-due-count">1<', bank) and re.search(r'id="coming-due-count">0<', bank)
    fallen = abc.get("/loans/due?which=fallen").get_data(as_text=True)
    assert loans["fallen"].number in fallen
    rows = rows_of(post(abc, "/exports/fallen_due"))
    assert [r[0] for r in rows[5:]] == [loans["fallen"].number]
    assert TODAY.isoformat() in rows[2][0]


@pytest.mark.parametrize(("who", "page", "name", "rows"), [
    ("li", "/applications?status=approved", "applications", 0),
    ("psbc", "/bank/applications?town=渔湖镇&amount_min=1000", "bank_queue", 0),
    ("psbc", "/bank/claims", "claims", 0),
    ("fund", "/fund/claims?status=paid", "claims", 0),
    ("fund", "/fund/ledger?kind=contribution", "ledger", 0),  # the book sets the fund directly
    ("fund", "/fund", "exposure", None),
    ("li", "/lists/ratings?state=valid", "credit_ratings", 0),
    ("li", "/lists/unborrowed", "unborrowed", 0),
    ("li", "/households?has_loan=true", "households", None),
])
def test_each_lists_button_opens_its_export_and_downloads_it(app, book, who, page, name, rows):
    _, people, as_ = book
    if who == "fund":
        from tests.pages.people import make_person
        people["fund"] = make_person("fund-qian", "fund_manager")
    client = as_(who)
    shown = client.get(page)
    assert shown.status_code == 200, shown.get_data(as_text=True)[:500]
    href = re.search(r'id="export" href="([^"]+)"', shown.get_data(as_text=True)).group(1)
    href = href.replace("&amp;", "&")
    assert href.startswith(f"/exports/{name}")
    got = rows_of(post(client, href))
    if rows is not None:
        assert len(got) - 5 == rows
    else:
        assert len(got) > 5


def test_a_household_export_says_its_filters_in_words_never_an_id_or_a_hash(book):
    _, people, as_ = book
    li = as_("li")
    page = li.get("/households?mine=true&has_loan=true").get_data(as_text=True)
    href = re.search(r'id="export" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    rows = rows_of(post(li, href))
    assert rows[1][0] == "筛选条件：有在贷：是；我建的档：是"
    assert people["li"].user_id not in rows[1][0]


def test_a_bad_filter_is_refused_beside_it_and_nothing_is_offered(book):
    _, _, as_ = book
    answer = as_("li").get("/exports/area_loans?class=坏账&status=active")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'id="class-error">五级分类：请从列表中选择</div>' in text
    assert 'id="export-download"' not in text
