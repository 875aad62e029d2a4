"""POST /api/v1/assessments/batch-jobs: a CSV of proposed loans scored as the preview does."""

import csv
import gzip
import io

from sqlalchemy import select, text

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from models import AuditEvent, JobFile
from tests.factories import HouseholdFactory, id_number

URL = "/api/v1/assessments/batch-jobs"
PREVIEW = "/api/v1/assessments/preview"
HEADER = "户编号,身份证号,申请金额,期限（月）,用途"


def _household(client, officer, **fields) -> str:
    made = client.post("/api/v1/households", json=HouseholdFactory(**fields), headers=officer)
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def _upload(client, headers, lines, key=None, name="batch.csv"):
    body = ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode()
    extra = {"Idempotency-Key": key} if key else {}
    return client.post(URL, headers={**headers, **extra}, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), name)})


def _results(client, headers, location) -> list[list[str]]:
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    job = client.get(location, headers=headers).get_json()
    assert job["status"] == "done", job
    got = client.get(job["links"]["result"], headers=headers)
    assert got.status_code == 200 and got.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(got.data.decode("utf-8-sig"))))


def test_a_batch_is_scored_like_the_preview_and_saves_no_application(client, officer, session):
    by_id = _household(client, officer)
    number = id_number()
    by_number = _household(client, officer, id_number=number)
    lines = [f"{by_id},,8000.00,12,husbandry",
             f",{number},20000.00,24,planting",
             f"{by_id},,8000.00,12,house_building",
             f",{id_number()},8000.00,12,planting",  # a valid number with no file
             ",44052419900101001X,8000.00,12,planting",  # a bad checksum
             ",,8000.00,12,planting",
             f"{by_id},,8000,0,yachts"]
    made = _upload(client, officer, lines)
    assert made.status_code == 202, made.get_json()
    assert made.get_json()["kind"] == "batch_scoring" and made.get_json()["total"] == 7
    # The job keeps no ID number in clear: only file ids and masked numbers.
    stored = session.execute(select(JobFile.data_gz).where(JobFile.role == "input")).scalar_one()
    assert number not in gzip.decompress(stored).decode()
    lines_out = _results(client, officer, made.headers["Location"])
    assert lines_out[0][:7] == ["行号", "户编号", "身份证号", "申请金额", "期限（月）", "用途", "结论"]
    rows = {int(r[0]): r for r in lines_out[1:]}
    assert sorted(rows) == [2, 3, 4, 5, 6, 7, 8]
    for line, hid, amount, term, purpose in ((2, by_id, "8000.00", 12, "husbandry"),
                                             (3, by_number, "20000.00", 24, "planting")):
        want = client.post(PREVIEW, headers=officer, json={
            "household_id": hid, "amount": amount, "term_months": term,
            "purpose": purpose}).get_json()
        got = rows[line]
        assert got[1] == hid and got[6] == want["decision"]
        assert (got[7], float(got[8]), got[10]) == (want["grade"] or "", want["score"],
                                                    want["limit"] or "")
    assert rows[3][2] == number[:6] + "********" + number[-4:]
    banned = client.post(PREVIEW, headers=officer, json={
        "household_id": by_id, "amount": "8000.00", "term_months": 12,
        "purpose": "house_building"}).get_json()["assessment"]["decision_reasons"]
    assert rows[4][6] == "declined" and rows[4][12] == banned[0]["text_zh"]
    assert [rows[n][13] for n in (5, 6, 7, 8)] == [
        "household_not_found", "invalid_id_number", "missing_household", "invalid_row"]
    assert rows[5][14] == "找不到该户档案" and "term_months" in rows[8][15]
    assert session.execute(text("SELECT count(*) FROM applications")).scalar() == 0
    event = session.execute(select(AuditEvent).where(AuditEvent.action == "assessment.batch")
                            ).scalar_one()
    assert event.detail["rows"] == 7 and event.detail["by_outcome"]["invalid_row"] == 1


def test_a_retried_batch_with_its_key_is_the_same_job(client, officer):
    hid = _household(client, officer)
    first = _upload(client, officer, [f"{hid},,8000.00,12,planting"], key="batch-0001")
    again = _upload(client, officer, [f"{hid},,8000.00,12,planting"], key="batch-0001")
    assert first.status_code == again.status_code == 202
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["id"] == first.get_json()["id"]


def test_only_officers_upload_and_a_bad_file_is_refused(client, officer, keys):
    for role in ("bank", "fund_manager", "admin"):
        assert _upload(client, keys.headers(role), []).status_code == 403
    bad = client.post(URL, headers=officer, content_type="multipart/form-data",
                      data={"file": (io.BytesIO("金额,用途\r\n1,2\r\n".encode()), "b.csv")})
    assert (bad.status_code, bad.get_json()["code"]) == (422, "batch_header_invalid")
    xlsx = _upload(client, officer, [], name="b.xlsx")
    assert (xlsx.status_code, xlsx.get_json()["code"]) == (422, "batch_file_invalid")
    latin = client.post(URL, headers=officer, content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"\xff\xfe,\r\n"), "b.csv")})
    assert (latin.status_code, latin.get_json()["code"]) == (422, "batch_file_invalid")
