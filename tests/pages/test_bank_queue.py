"""待受理: filters and paging, the read-only assessment, accept and reject, bulk acceptance."""

import re
from datetime import UTC, datetime

from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.pages.bank import queue as queue_pages
from models import Application, AuditEvent
from tests.factories import HouseholdRowFactory
from tests.pages.bank_books import accepted, approved, post, token_of


def listed(response) -> set[str]:
    return set(re.findall(r'name="ids" value="([^"]+)"', response.get_data(as_text=True)))


def status_of(app_id):
    db.session.expire_all()
    return db.session.get(Application, app_id).status


def test_the_queue_lists_only_my_approved_applications(as_user):
    mine = approved()
    approved("ABC")
    accepted()
    assert listed(as_user("psbc").get("/bank/applications")) == {mine}


def test_filters_by_town_grade_amount_and_date(as_user):
    town = approved(household=HouseholdRowFactory(town="地都镇"), grade="AA",
                    approved_amount_fen=2_000_000)
    small = approved(approved_amount_fen=300_000, grade="A")
    old = approved(created_at=datetime(2026, 2, 1, 3, tzinfo=UTC))
    client = as_user("psbc")
    assert listed(client.get("/bank/applications?town=地都镇")) == {town}
    assert listed(client.get("/bank/applications?grade=A")) == {small}
    assert listed(client.get("/bank/applications?amount_min=15000&amount_max=30000")) == {town}
    assert listed(client.get("/bank/applications?amount_max=5000")) == {small}
    assert listed(client.get("/bank/applications?submitted_to=2026-02-01")) == {old}
    assert listed(client.get("/bank/applications?submitted_from=2026-02-02")) == {town, small}
    bad = client.get("/bank/applications?grade=BBB&submitted_from=2026-13-01")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="grade-error"' in text and "请从列表中选择" in text
    assert "日期格式为" in text
    backwards = client.get("/bank/applications?amount_min=500&amount_max=100")
    assert backwards.status_code == 422 and 'id="amount_max-error"' in backwards.get_data(as_text=True)


def test_paging_walks_every_row_once(as_user, monkeypatch):
    monkeypatch.setattr(queue_pages, "PAGE_SIZE", 2)
    made = {approved() for _ in range(5)}
    client = as_user("psbc")
    seen, path = [], "/bank/applications?town=渔湖镇"
    while path:
        page = client.get(path)
        assert "共 5 条" in page.get_data(as_text=True)
        seen += listed(page)
        found = re.search(r'href="([^"]+after=[^"]+)">下一页', page.get_data(as_text=True))
        path = found.group(1).replace("&amp;", "&") if found else None
        if path:
            assert "town=" in path  # the filters follow the pages
    assert len(seen) == 5 and set(seen) == made


def test_the_application_page_shows_its_assessment_read_only(as_user):
    app_id = approved()
    text = as_user("psbc").get(f"/bank/applications/{app_id}").get_data(as_text=True)
    for shown in ("评估结果（只读）", "85.00", "AAA", "¥10,000.00", "借款人年龄须在18至65周岁之间",
                  "人均纯收入为 ¥6,800.00，拉低了评分", "评级AAA，授信额度50000元", "人均纯收入",
                  "8.50", "陈*"):
        assert shown in text, shown
    assert 'action="/bank/applications/' + app_id + '/decision"' in text


def test_accept_then_disburse_and_reject_with_a_reason(as_user):
    first, second = approved(), approved()
    client = as_user("psbc")
    page = f"/bank/applications/{first}"
    token = token_of(client.get(page))
    done = post(client, f"{page}/decision", {"decision": "accept", "reason": "尽职调查通过",
                                             "form_token": token}, page)
    assert done.status_code == 303 and done.headers["Location"] == f"{page}/disburse"
    assert status_of(first) == "accepted"
    assert "已受理" in client.get(done.headers["Location"]).get_data(as_text=True)
    page = f"/bank/applications/{second}"
    no_reason = post(client, f"{page}/decision", {"decision": "reject", "reason": "",
                                                  "form_token": token_of(client.get(page))}, page)
    assert no_reason.status_code == 422 and 'id="reason-error"' in no_reason.get_data(as_text=True)
    rejected = post(client, f"{page}/decision", {"decision": "reject", "reason": "经营项目不实",
                                                 "form_token": token_of(client.get(page))}, page)
    assert rejected.status_code == 303 and status_of(second) == "rejected_by_bank"
    # Decided: the form is gone and a second decision is refused in Chinese.
    again = post(client, f"{page}/decision", {"decision": "accept", "reason": "再次受理",
                                              "form_token": token_of(client.get("/bank/applications"))},
                 page)
    assert again.status_code == 409 and "当前状态下不能进行此操作" in again.get_data(as_text=True)


def test_a_double_submitted_decision_acts_once(as_user):
    app_id = approved()
    client = as_user("psbc")
    page = f"/bank/applications/{app_id}"
    form = {"decision": "accept", "reason": "尽职调查通过", "form_token": token_of(client.get(page))}
    first, second = post(client, f"{page}/decision", form, page), post(client, f"{page}/decision",
                                                                        form, page)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert "未重复执行" in client.get(second.headers["Location"]).get_data(as_text=True)
    decisions = db.session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.bank_decision")).scalar_one()
    assert decisions == 1
    other = post(client, f"{page}/decision", {**form, "reason": "另一份意见"}, page)
    # The same token with another form: refused, in Chinese.
    assert other.status_code == 422 and "此表单已提交过不同的内容" in other.get_data(as_text=True)


def test_bulk_accept_shows_each_rows_outcome(as_user):
    ok_one, ok_two, taken, abc = approved(), approved(), accepted(), approved("ABC")
    client = as_user("psbc")
    token = token_of(client.get("/bank/applications"))
    form = {"ids": [ok_one, taken, abc, ok_two], "reason": "批量尽调通过", "form_token": token}
    done = post(client, "/bank/applications/bulk-accept", form, "/bank/applications")
    assert done.status_code == 303 and f"/bank/applications/bulk/{token}" == done.headers["Location"]
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "已受理 2 笔，未受理 2 笔" in result
    rows = dict(re.findall(r'data-id="([^"]+)">(.*?)</tr>', result, re.S))
    assert "已受理" in rows[ok_one] and "已受理" in rows[ok_two]
    assert "未受理" in rows[taken] and "当前状态下不能进行此操作" in rows[taken]
    assert "申请不存在或无权查看" in rows[abc] and "¥" not in rows[abc]
    assert [status_of(i) for i in (ok_one, ok_two, taken, abc)] == [
        "accepted", "accepted", "accepted", "approved"]
    # The same form again: the same outcome page, nothing decided twice.
    again = post(client, "/bank/applications/bulk-accept", form, "/bank/applications")
    assert again.headers["Location"] == done.headers["Location"]
    decisions = db.session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.bank_decision")).scalar_one()
    assert decisions == 2
    # Another user cannot read the outcome page, nor this user another form's stored answer.
    assert as_user("abc").get(done.headers["Location"]).status_code == 404
    decided = approved()
    page = f"/bank/applications/{decided}"
    other = {"decision": "reject", "reason": "不再受理", "form_token": token_of(client.get(page))}
    assert post(client, f"{page}/decision", other, page).status_code == 303
    assert client.get(f"/bank/applications/bulk/{other['form_token']}").status_code == 404


def test_bulk_accept_needs_rows_and_a_reason(as_user):
    client = as_user("psbc")
    token = token_of(client.get("/bank/applications")) if approved() else None
    none_ticked = post(client, "/bank/applications/bulk-accept",
                       {"reason": "批量", "form_token": token}, "/bank/applications")
    assert none_ticked.status_code == 303
    assert "请勾选要受理的申请" in client.get("/bank/applications").get_data(as_text=True)
