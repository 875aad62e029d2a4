"""Uploads that start a job: an optional Idempotency-Key (a retry answers with the first job), size."""

import io

from sqlalchemy import func, select

from models import Job

UPLOAD = "/api/v1/loan-status-reports/jobs"
FEED = "\ufeff贷款编号,统计日期,逾期天数\r\nL-1,2026-03-31,0\r\n".encode()


def _upload(client, headers, body=FEED, name="feed.csv", key=None, boundary=None):
    extra = {"Idempotency-Key": key} if key else {}
    data = {"file": (io.BytesIO(body), name)}
    if boundary:  # a client's retry draws another multipart boundary
        return client.post(UPLOAD, headers={**headers, **extra}, data=data,
                           content_type=f"multipart/form-data; boundary={boundary}")
    return client.post(UPLOAD, headers={**headers, **extra}, data=data,
                       content_type="multipart/form-data")


def _jobs(session) -> int:
    session.rollback()
    return session.execute(select(func.count()).select_from(Job)).scalar_one()


def test_a_retried_upload_with_its_key_returns_the_same_job(client, keys, session):
    psbc = keys.headers("bank", "PSBC")
    first = _upload(client, psbc, key="feed-upload-0001")
    assert first.status_code == 202, first.get_json()
    again = _upload(client, psbc, key="feed-upload-0001", boundary="another-boundary-1234")
    assert again.status_code == 202 and again.headers.get("Idempotent-Replayed") == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    assert _jobs(session) == 1


def test_the_same_key_with_another_file_is_refused(client, keys, session):
    psbc = keys.headers("bank", "PSBC")
    assert _upload(client, psbc, key="feed-upload-0002").status_code == 202
    other = _upload(client, psbc, FEED + b"L-2,2026-03-31,5\r\n", key="feed-upload-0002")
    assert (other.status_code, other.get_json()["code"]) == (422, "idempotency_key_reused")
    assert _jobs(session) == 1


def test_without_a_key_each_upload_is_a_job_and_a_bad_key_is_refused(client, keys, session):
    psbc = keys.headers("bank", "PSBC")
    assert _upload(client, psbc).status_code == 202
    assert _upload(client, psbc).status_code == 202
    assert _jobs(session) == 2
    bad = _upload(client, psbc, key="short")
    assert (bad.status_code, bad.get_json()["code"]) == (400, "idempotency_key_required")


def test_a_refused_upload_leaves_its_key_free(client, keys, session):
    psbc = keys.headers("bank", "PSBC")
    wrong = _upload(client, psbc, name="feed.txt", key="feed-upload-0003")
    assert (wrong.status_code, wrong.get_json()["code"]) == (422, "feed_file_invalid")
    assert _upload(client, psbc, key="feed-upload-0003").status_code == 202
    assert _jobs(session) == 1


def test_keys_are_per_user(client, keys, session):
    first = _upload(client, keys.headers("bank", "PSBC"), key="feed-upload-0004")
    other = _upload(client, keys.headers("bank", "PSBC", name="psbc-2"), key="feed-upload-0004")
    assert other.status_code == 202 and other.get_json()["id"] != first.get_json()["id"]
    assert _jobs(session) == 2


def test_a_feed_file_larger_than_a_json_body_is_accepted(client, keys, session):
    # 20,000 rows (about 420 kB): past the 256 kB bound of JSON bodies, inside the feed's own.
    body = FEED + "".join(f"L-{i},2026-03-31,0\r\n" for i in range(20_000)).encode()
    assert len(body) > 256 * 1024
    made = _upload(client, keys.headers("bank", "PSBC"), body)
    assert made.status_code == 202, made.get_json()
