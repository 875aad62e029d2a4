"""待复核 pages through the test client: the queue, the case page, approve, decline, refusals."""

from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from models import AuditEvent
from tests.pages.cases import application, referred_application
from tests.pages.people import csrf_of


def _decide(client, app_id, **fields):
    csrf = csrf_of(client.get(f"/reviews/{app_id}"))
    return client.post(f"/reviews/{app_id}", data={"csrf_token": csrf, **fields})


def test_the_queue_lists_referred_cases_of_others_only(as_user, people):
    theirs = referred_application(people["officer"])
    mine = referred_application(people["officer2"])
    text = as_user("officer2").get("/reviews").get_data(as_text=True)
    assert f"/reviews/{theirs}" in text and f"/reviews/{mine}" not in text
    assert "officer-li" in text and "近365天内无重病" in text and "共 1 条" in text
    assert "陈*" in text and "********" in text  # masked head and ID number


def test_the_case_page_shows_the_whole_assessment_and_the_form(as_user, people):
    app_id = referred_application(people["officer"])
    text = as_user("officer2").get(f"/reviews/{app_id}").get_data(as_text=True)
    for words in ("复核决定", "信用评分", "各项得分", "规则检查", "转人工", "拉低评分的主要原因",
                  "未评级的申请核准时必须填写金额", "echarts.min.js"):
        assert words in text, words


def test_a_second_officer_approves_within_the_limit(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer2")
    done = _decide(client, app_id, decision="approve", approved_amount="8000.00",
                   note="走访核实，病情稳定，养殖项目可行")
    assert done.status_code == 303 and done.headers["Location"].endswith("/reviews")
    stored = application(app_id)
    assert (stored.status, stored.approved_amount_fen) == ("approved", 800_000)
    assert stored.reviewed_by == people["officer2"].user_id
    assert "已核准该申请" in client.get("/reviews").get_data(as_text=True)
    events = db.session.execute(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "application.review")).scalar_one()
    assert events == 1


def test_a_second_officer_declines_with_a_note(as_user, people):
    app_id = referred_application(people["officer"])
    done = _decide(as_user("officer2"), app_id, decision="decline", note="家庭刚遭重病，暂缓贷款")
    assert done.status_code == 303
    stored = application(app_id)
    assert stored.status == "declined" and stored.review_note == "家庭刚遭重病，暂缓贷款"


def test_review_errors_are_in_chinese_and_keep_what_was_typed(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer2")
    no_amount = _decide(client, app_id, decision="approve", note="走访核实")
    text = no_amount.get_data(as_text=True)
    assert no_amount.status_code == 422 and "核准时须填写核准金额" in text and "走访核实" in text
    too_much = _decide(client, app_id, decision="approve", approved_amount="60000.00", note="走访核实")
    assert too_much.status_code == 422 and "不得超过" in too_much.get_data(as_text=True)
    no_note = _decide(client, app_id, decision="decline")
    assert no_note.status_code == 422 and 'id="note-error">必填' in no_note.get_data(as_text=True)
    assert application(app_id).status == "referred"


def test_every_review_error_is_beside_its_field_at_once(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer2")
    both = _decide(client, app_id, decision="approve", approved_amount="60000.00", note="短")
    text = both.get_data(as_text=True)
    assert both.status_code == 422
    assert 'id="note-error">' in text and 'id="approved_amount-error">不得超过' in text
    neither = _decide(client, app_id, decision="approve")
    text = neither.get_data(as_text=True)
    assert 'id="note-error">必填' in text
    assert 'id="approved_amount-error">核准时须填写核准金额' in text
    assert application(app_id).status == "referred"


def test_the_submitter_is_told_and_refused(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer")
    page = client.get(f"/reviews/{app_id}").get_data(as_text=True)
    assert "您是本申请的提交人" in page and "提交复核决定" not in page
    refused = _decide(client, app_id, decision="decline", note="我自己拒绝自己")
    assert refused.status_code == 403
    assert "提交人不能复核自己提交的申请" in refused.get_data(as_text=True)
    assert application(app_id).status == "referred"


def test_a_decided_case_has_no_form(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer2")
    _decide(client, app_id, decision="decline", note="家庭刚遭重病，暂缓贷款")
    page = client.get(f"/reviews/{app_id}").get_data(as_text=True)
    assert "不在待复核状态" in page and "提交复核决定" not in page
    again = _decide(client, app_id, decision="approve",
                    approved_amount="5000.00", note="改主意了")
    assert again.status_code == 409 and "当前状态下不能进行此操作" in again.get_data(as_text=True)


def test_a_review_without_its_csrf_token_is_refused(as_user, people):
    app_id = referred_application(people["officer"])
    response = as_user("officer2").post(f"/reviews/{app_id}",
                                        data={"decision": "decline", "note": "暂缓贷款"})
    assert response.status_code == 400 and application(app_id).status == "referred"
