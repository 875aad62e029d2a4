"""The survey import through the API: template, upload with preview, marked copy, confirm, job."""

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from creditsvc.services.access import areas
from creditsvc.services.platform import jobs
from creditsvc.services.platform.uow import UnitOfWork
from models import Household, HouseholdSurvey, User
from tests.conftest import ACTOR
from tests.services import survey_files as sf

BASE = "/api/v1/household-surveys"


def _officer(keys, *area: str) -> dict:
    headers = keys.headers("officer", name="officer-survey")
    with UnitOfWork(db.session) as uow:
        user = uow.session.execute(select(User).where(User.name == "officer-survey")).scalar_one()
        areas.assign(uow.session, ACTOR, user.id, [areas.Area.parse(a) for a in area])
        uow.commit()
    return headers


def _upload(client, headers, body, name="survey.xlsx"):
    return client.post(f"{BASE}/imports", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), name)})


def _count(session, model) -> int:
    session.rollback()
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_upload_preview_marked_copy_confirm_and_job(client, keys, session):
    officer = _officer(keys, "渔湖镇")
    good = [sf.household(), sf.household(户主姓名="林小红")]
    bad = sf.xlsx([*good, sf.household(调查日期="昨天"), sf.household(乡镇="地都镇")])
    made = _upload(client, officer, bad)
    assert made.status_code == 201, made.get_json()
    preview, job = made.get_json()["preview"], made.get_json()["job"]
    assert (preview["rows"], preview["new"], preview["problem_count"]) == (4, 2, 2)
    assert [(p["row"], p["column"], p["code"]) for p in preview["problems"]] == [
        (4, "调查日期", "survey_not_date"), (5, "村", "survey_outside_area")]
    assert preview["problems"][0]["message_zh"].startswith("日期格式不对")
    assert job["status"] == "held" and "marked_copy" in job["links"]
    refused = client.post(f"{BASE}/imports/{job['id']}/confirm", headers=officer)
    assert (refused.status_code, refused.get_json()["code"]) == (422, "survey_has_errors")
    marked = client.get(job["links"]["marked_copy"], headers=officer)
    assert marked.status_code == 200
    sheet = load_workbook(io.BytesIO(marked.data))["调查表"]
    assert [sheet.cell(row=r, column=len(sf.MAIN) + 1).value for r in range(1, 6)] == [
        "问题说明", None, None, "调查日期：日期格式不对，可写 2026-03-05、2026/3/5 或 2026年3月5日",
        "村：地都镇 东湖村 不在您的工作区域内"]
    assert _count(session, Household) == 0
    # The held workbook is kept sealed: no name or ID number of it is in the database in clear.
    _, held = jobs.file_of(session, job["id"], "input")
    assert held.startswith(b"gAAAAA") and good[0]["身份证号"].encode() not in held
    assert "林小红".encode() not in held

    fixed = _upload(client, officer, sf.xlsx(good)).get_json()
    assert fixed["preview"]["importable"] is True
    confirmed = client.post(f"{BASE}/imports/{fixed['job']['id']}/confirm", headers=officer)
    assert confirmed.status_code == 202, confirmed.get_json()
    assert _count(session, Household) == 0  # queued, not yet run
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    status = client.get(f"{BASE}/imports/{fixed['job']['id']}", headers=officer).get_json()
    assert status["status"] == "done", status
    assert (status["result"]["new"], status["result"]["changed"]) == (2, 0)
    assert _count(session, Household) == 2
    assert {s.source_sha256 for s in session.execute(select(HouseholdSurvey)).scalars()} == {
        fixed["preview"]["sha256"]}


def test_template_refusals_and_roles(client, keys):
    officer = _officer(keys, "渔湖镇")
    book = client.get(f"{BASE}/template?format=xlsx", headers=officer)
    assert book.status_code == 200
    wb = load_workbook(io.BytesIO(book.data))
    assert wb.sheetnames[:3] == ["调查表", "家庭成员", "填写说明"]
    assert [c.value for c in wb["调查表"][1]][:5] == ["*乡镇", "*村", "组", "*户主姓名", "*身份证号"]
    assert len(wb["调查表"].data_validations.dataValidation) >= 5
    template_csv = client.get(f"{BASE}/template?format=csv", headers=officer)
    assert template_csv.data.startswith("\ufeff*乡镇,*村".encode())
    # The template as downloaded is a file the import reads (its example row is good).
    example = _upload(client, officer, book.data, "survey-template.xlsx").get_json()["preview"]
    assert (example["problem_count"], example["new"], example["member_rows"]) == (0, 1, 1)
    for body, name, code in ((b"PK\x03\x04 not really", "a.xlsx", "survey_not_xlsx"),
                             (sf.xlsx([sf.household()]), "a.xlsm", "survey_macros_refused"),
                             (b"x", "a.txt", "survey_file_invalid")):
        got = _upload(client, officer, body, name)
        assert (got.status_code, got.get_json()["code"]) == (422, code), name
    bank = keys.headers("bank", "PSBC")
    assert _upload(client, bank, sf.xlsx([sf.household()])).status_code == 403
    assert client.get(f"{BASE}/template", headers=bank).status_code == 403
