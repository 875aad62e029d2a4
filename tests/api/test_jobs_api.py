"""The feed as a file through the API: upload (202 + Location), poll, results, preview, scope."""

import csv
import io

from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from creditsvc.services.fund.reconcile import reconcile
from models import AuditEvent, Loan, StatusReport
from tests.books import fund_with
from tests.factories import LoanFactory

UPLOAD = "/api/v1/loan-status-reports/jobs"


def _csv(rows) -> bytes:
    lines = ["贷款编号,统计日期,逾期天数"] + [",".join(map(str, r)) for r in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _upload(client, headers, body, name="feed.csv", url=UPLOAD):
    return client.post(url, headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), name)})


def test_feed_file_runs_as_a_job_and_its_results_download(client, keys, session):
    fund_with(session, 100_000_000)
    loans = [LoanFactory(principal_fen=100_000).id for _ in range(3)]
    theirs = LoanFactory(bank_code="ABC").id
    psbc = keys.headers("bank", "PSBC")
    body = _csv([(loans[0], "2026-03-31", 95), (loans[1], "2026-03-31", 0), ("nope", "2026-03-31", 3),
                 (theirs, "2026-03-31", 1), (loans[2], "31/03/2026", 4), ("", "2026-03-31", 1),
                 (loans[2], "2026-03-31", -2)])
    made = _upload(client, psbc, body)
    assert made.status_code == 202, made.get_json()
    location = made.headers["Location"]
    assert made.get_json()["status"] == "queued" and location.endswith(made.get_json()["id"])
    assert client.get(f"{location}/result", headers=psbc).status_code == 409
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    job = client.get(location, headers=psbc).get_json()
    assert job["status"] == "done", job
    assert (job["result"]["accepted"], job["result"]["rejected"]) == (2, 5)
    assert job["result"]["by_code"] == {"invalid_as_of": 1, "invalid_days_past_due": 1,
                                        "loan_not_found": 2, "missing_loan_id": 1}
    got = client.get(job["links"]["result"], headers=psbc)
    assert got.status_code == 200 and got.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))
    assert lines[0][:3] == ["行号", "序号", "贷款编号"] and len(lines) == 8
    assert lines[1][3:6] == ["已处理", "次级", "95"]
    assert lines[3][6:] == ["贷款不存在或无权查看"]  # the catalogue's Chinese, no code, no English
    assert lines[0][-1] == "说明" and not any(c.isascii() and c.isalpha() for c in "".join(lines[0]))
    assert session.get(Loan, loans[0]).classification == "次级"
    assert len(session.execute(select(StatusReport.id)).all()) == 2
    events = session.execute(select(AuditEvent.action, AuditEvent.detail)
                             .where(AuditEvent.target_id == job["id"])).all()
    assert [a for a, _ in events] == ["job.submit", "loan.status_feed"]
    assert events[1][1]["results_sha256"] and events[1][1]["rows"] == 7
    assert reconcile(session) == []
    # Another bank's job is 404, and so is its result.
    abc = keys.headers("bank", "ABC")
    assert client.get(location, headers=abc).status_code == 404
    assert client.get(f"{location}/result", headers=abc).status_code == 404
    # A bank's feed is its bank's alone: the fund office and officers do not see it either.
    for role in ("fund_manager", "officer"):
        assert client.get(location, headers=keys.headers(role)).status_code == 404, role
        assert client.get(f"{location}/result", headers=keys.headers(role)).status_code == 404
    assert [j["id"] for j in client.get("/api/v1/jobs", headers=abc).get_json()] == []


def test_preview_shows_each_bad_row_in_chinese_and_writes_nothing(client, keys, session):
    fund_with(session, 100_000_000)
    loan = LoanFactory().id
    book = Workbook()
    book.active.append(["贷款编号", "统计日期", "逾期天数"])
    book.active.append([loan, "2026-03-31", 30])
    book.active.append([loan, "2026-02-28", 10])
    book.active.append(["nope", "2026-03-31", "x"])
    out = io.BytesIO()
    book.save(out)
    answer = _upload(client, keys.headers("bank"), out.getvalue(), "feed.xlsx",
                     "/api/v1/loan-status-reports/preview")
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["rows"], body["would_apply"], body["problem_count"]) == (3, 1, 2)
    assert [(p["line"], p["code"]) for p in body["problems"]] == [
        (3, "stale_status_report"), (4, "invalid_days_past_due")]
    assert body["problems"][0]["message_zh"].startswith("统计日期早于")
    assert session.get(Loan, loan).days_past_due == 0
    assert session.execute(select(StatusReport.id)).first() is None


def test_template_and_refusals(client, keys):
    bank = keys.headers("bank")
    xlsx = client.get("/api/v1/loan-status-reports/template", headers=bank)
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == ["贷款编号", "统计日期", "逾期天数"]
    plain = client.get("/api/v1/loan-status-reports/template?format=csv", headers=bank)
    assert plain.data.decode("utf-8-sig").strip() == "贷款编号,统计日期,逾期天数"
    assert _upload(client, bank, b"a,b\n", "feed.txt").status_code == 422
    # A file without the template's headers is accepted as a job, which fails saying why.
    made = _upload(client, bank, "编号,日期\n1,2\n".encode())
    assert made.status_code == 202
    worker.run(db.session, once=True, beat_seconds=0.2)
    job = client.get(made.headers["Location"], headers=bank).get_json()
    assert job["status"] == "failed" and job["result"]["code"] == "feed_header_invalid"
    assert "逾期天数" in job["message"]
    assert _upload(client, keys.headers("officer"), b"x").status_code == 403
