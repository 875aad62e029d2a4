"""调查导入 as a page: upload, preview in Chinese with the marked file, confirm, progress, files."""

import io
import re

from openpyxl import load_workbook
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.jobs import worker
from models import Household, HouseholdSurvey, Job
from tests.pages.people import csrf_of
from tests.services import survey_files as sf


def upload(client, body: bytes, name="survey.xlsx"):
    token = csrf_of(client.get("/households/survey"))
    return client.post("/households/survey", data={"csrf_token": token,
                                                   "file": (io.BytesIO(body), name)},
                       content_type="multipart/form-data")


def _households() -> int:
    db.session.rollback()
    return db.session.execute(select(func.count()).select_from(Household)).scalar_one()


def test_a_bad_file_is_marked_then_the_fixed_one_is_imported(as_user):
    client = as_user("officer")
    assert "调查导入" in client.get("/households").get_data(as_text=True)
    good = [sf.household(), sf.household(户主姓名="林小红", 调查日期="2026年3月5日")]
    preview = upload(client, sf.xlsx([*good, sf.household(贷款意愿="也许")]))
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "共 3 户（家庭成员 0 行）：新建 2 户，更新 0 户，无变化 0 户；问题 1 个。" in text
    problems = re.search(r'id="survey-problems">(.*?)</table>', text, re.S).group(1)
    assert "<td>4</td><td>贷款意愿</td><td>应为下列之一：是、否</td>" in problems
    confirm = re.search(r'<button class="btn btn-primary" type="submit" ([^>]*)>确认导入', text)
    assert confirm and "disabled" in confirm.group(1)
    marked_url = re.search(r'href="(/households/survey/[^"]+/marked)"', text).group(1)
    marked = client.get(marked_url)
    assert marked.status_code == 200
    sheet = load_workbook(io.BytesIO(marked.data))["调查表"]
    assert sheet.cell(row=4, column=len(sf.MAIN) + 1).value == "贷款意愿：应为下列之一：是、否"
    assert _households() == 0

    fixed = upload(client, sf.xlsx(good))
    text = fixed.get_data(as_text=True)
    assert "问题 0 个" in text and "确认导入 2 户" in text
    job_id = db.session.execute(select(Job.id).where(Job.status == "held")
                                .order_by(Job.created_at.desc())).scalars().first()
    form = dict(re.findall(r'name="(csrf_token|form_token)" value="([^"]+)"', text))
    confirmed = client.post(f"/jobs/{job_id}/confirm", data=form)
    assert confirmed.status_code == 302
    assert worker.run(db.session, once=True, beat_seconds=0.2) >= 1
    db.session.close()
    done = client.get(f"/jobs/{job_id}/progress").get_data(as_text=True)
    assert "已完成" in done and re.search(r"新建户档案</dt><dd[^>]*>2<", done)
    assert _households() == 2
    assert db.session.execute(select(func.count()).select_from(HouseholdSurvey)).scalar_one() == 2


def test_refusals_beside_the_file_and_only_officers(as_user):
    client = as_user("officer")
    macro = upload(client, sf.xlsx([sf.household()]), "survey.xlsm")
    assert macro.status_code == 422 and "不接受含宏的工作簿" in macro.get_data(as_text=True)
    fake = upload(client, b"not a zip at all", "survey.xlsx")
    assert fake.status_code == 422 and "内容不是 Excel 工作簿" in fake.get_data(as_text=True)
    gbk = upload(client, sf.csv_bytes([sf.household()]), "调查.csv")
    assert "新建 1 户" in gbk.get_data(as_text=True)
    assert client.get("/households/survey/template.xlsx").status_code == 200
    assert as_user("psbc").get("/households/survey").status_code == 403
