"""Job pages: the feed uploaded once, previewed in Chinese, held until confirmed, then polled."""

import io
import re

import pytest
from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from models import Job
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import csrf_of


@pytest.fixture
def loan_id(app):
    fund_with(db.session, 50_000_000)
    loan = LoanFactory(bank_code="PSBC")
    loan_id = loan.id
    db.session.close()
    return loan_id


def upload(client, body: bytes, name="feed.csv"):
    return client.post("/jobs/feed", data={"csrf_token": csrf_of(client.get("/jobs/feed")),
                                           "file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def test_feed_preview_holds_the_file_until_confirmed_then_progress_and_result(as_user, loan_id):
    client = as_user("psbc")
    body = ("贷款编号,统计日期,逾期天数\n"
            f"{loan_id},2026-01-01,12\nno-such-loan,2026-01-01,5\n").encode()
    preview = upload(client, body)
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "共 2 行，可采用 1 行，有问题 1 行" in text
    problems = re.search(r'id="feed-problems">(.*?)</table>', text, re.S).group(1)
    assert "no-such-loan" in problems
    job_id, status = db.session.execute(select(Job.id, Job.status)).one()
    assert status == "held"
    # A worker does not touch a held job.
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 0
    form = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', text))
    confirmed = client.post(f"/jobs/{job_id}/confirm", data=form)
    again = client.post(f"/jobs/{job_id}/confirm", data=form)
    assert confirmed.status_code == again.status_code == 302
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    db.session.close()
    done = client.get(f"/jobs/{job_id}/progress").get_data(as_text=True)
    assert "hx-trigger" not in done and "已完成" in done
    assert re.search(r"已采用</dt><dd[^>]*>1<", done)
    result = client.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200 and no_such_loan_row(result.get_data(as_text=True))


def no_such_loan_row(csv_text: str) -> bool:
    return any(line.startswith("no-such-loan") or ",no-such-loan," in line
               for line in csv_text.splitlines())


def test_feed_upload_refusals_are_shown_beside_the_file(as_user, loan_id):
    client = as_user("psbc")
    wrong = upload(client, b"hello", name="feed.txt")
    assert wrong.status_code == 422 and "请上传 CSV 或 XLSX 文件" in wrong.get_data(as_text=True)
    none = client.post("/jobs/feed", data={"csrf_token": csrf_of(client.get("/jobs/feed"))})
    assert none.status_code == 422 and "请选择要上传的文件" in none.get_data(as_text=True)
    assert db.session.execute(select(Job)).first() is None


def test_another_banks_job_is_404_and_the_feed_is_the_banks(as_user, loan_id):
    psbc = as_user("psbc")
    upload(psbc, f"贷款编号,统计日期,逾期天数\n{loan_id},2026-01-01,0\n".encode())
    job_id = db.session.execute(select(Job.id)).scalar_one()
    assert as_user("abc").get(f"/jobs/{job_id}").status_code == 404
    assert as_user("officer").get("/jobs/feed").status_code == 403
    template = psbc.get("/jobs/feed/template.xlsx")
    assert template.status_code == 200 and template.data[:2] == b"PK"
