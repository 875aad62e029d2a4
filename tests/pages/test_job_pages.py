"""Job pages: the feed uploaded once, previewed in Chinese, held until confirmed, then polled."""

import io
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from models import AuditEvent, Job, JobFile
from models.base import utcnow
from tests.books import fund_with
from tests.factories import LoanFactory
from tests.pages.people import csrf_of, make_person, sign_in


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
    assert "放弃，重新上传" in text and "24 小时后自动放弃" in text
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
    assert db.session.get(Job, job_id, populate_existing=True).total == 2
    result = client.get(f"/jobs/{job_id}/result")
    assert result.status_code == 200 and no_such_loan_row(result.get_data(as_text=True))


def no_such_loan_row(csv_text: str) -> bool:
    return any(line.startswith("no-such-loan") or ",no-such-loan," in line
               for line in csv_text.splitlines())


def test_feed_upload_refusals_are_shown_beside_the_file(as_user, loan_id):
    client = as_user("psbc")
    wrong = upload(client, b"hello", name="feed.txt")
    assert wrong.status_code == 422 and "请上传 CSV / XLSX 文件" in wrong.get_data(as_text=True)
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


def held_feed(client, loan_id) -> tuple[str, dict]:
    """Upload a one-row feed; the held job's id and the page's form fields."""
    text = upload(client, f"贷款编号,统计日期,逾期天数\n{loan_id},2026-01-01,3\n".encode()
                  ).get_data(as_text=True)
    job_id = db.session.execute(select(Job.id).where(Job.status == "held")
                                .order_by(Job.created_at.desc()).limit(1)).scalar_one()
    return job_id, dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', text))


def test_a_held_feed_can_be_given_up_and_its_file_is_dropped(app, as_user, loan_id):
    client = as_user("psbc")
    colleague = app.test_client()
    sign_in(colleague, make_person("psbc-wu", "bank", "PSBC"))
    job_id, form = held_feed(client, loan_id)
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "放弃此文件" in page and "24 小时后自动放弃" in page
    form["form_token"] = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    # Another user of the same bank may see the job but not decide it.
    theirs = colleague.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "等待上传人确认" in theirs and "放弃此文件" not in theirs
    assert colleague.post(f"/jobs/{job_id}/cancel", data={
        "csrf_token": csrf_of(colleague.get("/jobs")), "form_token": str(uuid.uuid4())
    }).status_code == 404
    given_up = client.post(f"/jobs/{job_id}/cancel", data=form)
    # Back to the upload form, for the corrected file.
    assert given_up.status_code == 302 and given_up.headers["Location"].endswith("/jobs/feed")
    assert "已放弃此文件，未做任何处理。" in client.get("/jobs/feed").get_data(as_text=True)
    db.session.expire_all()
    job = db.session.get(Job, job_id)
    assert job.status == "cancelled" and job.finished_at is not None
    assert db.session.execute(select(JobFile).where(JobFile.job_id == job_id)).first() is None
    shown = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "已放弃" in shown and "提交人已放弃，文件已删除" in shown and "hx-trigger" not in shown
    # Confirming it now is refused in Chinese, and no worker ever runs it.
    late = client.post(f"/jobs/{job_id}/confirm",
                       data={**form, "form_token": str(uuid.uuid4())})
    assert late.status_code == 422
    assert "此文件已确认或已放弃，不能再操作" in late.get_data(as_text=True)
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 0
    assert [e.action for e in db.session.execute(
        select(AuditEvent).where(AuditEvent.target_id == job_id)).scalars()] == [
        "job.submit", "job.cancel"]


def test_the_worker_gives_up_a_feed_nobody_confirmed_in_time(app, as_user, loan_id):
    client = as_user("psbc")
    old_id, _form = held_feed(client, loan_id)
    db.session.execute(update(Job).where(Job.id == old_id)
                       .values(created_at=utcnow() - timedelta(hours=25)))
    db.session.commit()
    new_id, form = held_feed(client, loan_id)
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 0
    db.session.expire_all()
    assert db.session.get(Job, old_id).status == "cancelled"
    assert db.session.get(Job, new_id).status == "held"
    files = db.session.execute(select(JobFile.job_id)).scalars().all()
    assert files == [new_id]
    expired = db.session.execute(select(AuditEvent).where(
        AuditEvent.target_id == old_id, AuditEvent.action == "job.expire")).scalar_one()
    assert expired.actor_name == "system"
    assert "超时未确认" in client.get(f"/jobs/{old_id}").get_data(as_text=True)
    # The one still in time is confirmed as usual.
    assert client.post(f"/jobs/{new_id}/confirm", data=form).status_code == 302


def test_a_jobs_own_words_are_shown_in_chinese(as_user, loan_id):
    client = as_user("psbc")
    job_id, form = held_feed(client, loan_id)
    client.post(f"/jobs/{job_id}/confirm", data=form)
    queued = client.get(f"/jobs/{job_id}/progress").get_data(as_text=True)
    assert "排队中" in queued and "queued" not in queued
    db.session.execute(update(Job).where(Job.id == job_id).values(
        status="failed", message="gave up after 3 attempts", result=None))
    db.session.commit()
    failed = client.get(f"/jobs/{job_id}/progress").get_data(as_text=True)
    assert "重试 3 次仍未完成，已放弃" in failed
    listed = client.get("/jobs").get_data(as_text=True)
    assert "重试 3 次仍未完成，已放弃" in listed and "gave up" not in listed


def test_a_job_is_seen_only_by_the_roles_that_may_read_what_it_holds(as_user, loan_id):
    from creditsvc.core.principal import Principal
    from creditsvc.services.platform import jobs

    psbc = as_user("psbc")
    upload(psbc, f"贷款编号,统计日期,逾期天数\n{loan_id},2026-01-01,0\n".encode())
    feed_id = db.session.execute(select(Job.id)).scalar_one()
    stress_id = jobs.submit(db.session, Principal(None, "fund-qian", "fund_manager"), "stress",
                            {"paths": 1000, "seed": 1, "horizon": 12}).id
    db.session.commit()
    seen = {feed_id: {"psbc"}, stress_id: {"fund"}}
    for who in ("psbc", "abc", "officer", "fund"):
        client = as_user(who)
        listing = client.get("/jobs").get_data(as_text=True)
        for job_id, readers in seen.items():
            assert (job_id in listing) == (who in readers), (who, job_id)
            for url in (f"/jobs/{job_id}", f"/jobs/{job_id}/progress"):
                assert client.get(url).status_code == (200 if who in readers else 404), (who, url)
    admin = as_user("admin")
    assert [admin.get(url).status_code for url in ("/jobs", f"/jobs/{stress_id}",
                                                    f"/jobs/{feed_id}/result")] == [403] * 3
