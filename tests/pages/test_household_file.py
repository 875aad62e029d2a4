"""The file page: tabs, reveal (audited, never cached), monitoring events, the change record."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import Application, AuditEvent, Loan, MonitoringEvent
from tests.books import set_fund
from tests.factories import LoanFactory, id_number
from tests.pages.household_files import open_file
from tests.pages.people import csrf_of

TABS = ("basic", "members", "events", "applications", "loans", "history")


def events_of(session, action: str) -> list[AuditEvent]:
    """The audit events of ACTION, read without holding SQLite's lock past the read."""
    session.rollback()
    events = list(session.execute(select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.seq)).scalars())
    session.expunge_all()
    session.rollback()
    return events


@pytest.mark.parametrize("who", ["psbc", "fund"])
def test_others_get_the_403_page(as_user, people, who):
    household = open_file(people["officer"])
    client = as_user(who)
    for url in (f"/households/{household}", f"/households/{household}/edit", "/households/new"):
        assert client.get(url).status_code == 403, url
    # A valid CSRF token (theirs, from their own home page), so the role check is what refuses.
    token = csrf_of(client.get("/", follow_redirects=True))
    response = client.post(f"/households/{household}/reveal",
                           data={"reason": "核对贷款合同身份信息", "csrf_token": token})
    assert response.status_code == 403
    assert events_of(db.session, "household.reveal") == []


def test_an_unknown_file_is_the_404_page(as_user):
    client = as_user("officer")
    for url in ("/households/00000000-0000-0000-0000-000000000000",
                "/households/00000000-0000-0000-0000-000000000000/edit"):
        response = client.get(url)
        assert response.status_code == 404
        assert "找不到这个页面或记录" in response.get_data(as_text=True)


def test_every_tab_renders(as_user, people):
    household = open_file(people["officer"], head_name="陈建国")
    client = as_user("officer")
    for tab in TABS:
        response = client.get(f"/households/{household}?tab={tab}")
        assert response.status_code == 200, tab
        body = response.get_data(as_text=True)
        assert 'aria-current="page"' in body and "陈建国" not in body
    body = client.get(f"/households/{household}").get_data(as_text=True)
    assert "两不愁三保障" in body and "义务教育有保障" in body
    assert f'href="/applications/new?household={household}"' in body
    members = client.get(f"/households/{household}?tab=members").get_data(as_text=True)
    assert "户主" in members and "配偶" in members and "子女" in members
    assert client.get(f"/households/{household}?tab=nonsense").status_code == 200


def test_applications_and_loans_tabs_list_the_households_own(as_user, people, session):
    household = open_file(people["officer"])
    set_fund(session, 50_000_000)
    loan = LoanFactory(principal_fen=2_345_600, days_past_due=40)
    other = LoanFactory(principal_fen=1_111_100)
    app_row = db.session.get(Application, loan.application_id)
    app_row.household_id = household
    db.session.get(Loan, loan.id).household_id = household
    db.session.commit()
    client = as_user("officer")
    apps = client.get(f"/households/{household}?tab=applications").get_data(as_text=True)
    assert "¥23,456.00" in apps and "已放款" in apps
    loans = client.get(f"/households/{household}?tab=loans").get_data(as_text=True)
    assert "¥23,456.00" in loans and "关注" in loans and "¥11,111.00" not in loans
    assert "¥11,111.00" not in apps and other.household_id != household


def test_reveal_shows_clear_data_once_and_is_audited(as_user, people, session):
    number = id_number(date(1975, 6, 1))
    household = open_file(people["officer"], head_name="陈建国", id_number=number,
                          phone="13812345678")
    client = as_user("officer")
    page = client.get(f"/households/{household}")
    response = client.post(f"/households/{household}/reveal",
                           data={"reason": "核对贷款合同中的身份信息", "csrf_token": csrf_of(page)})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "陈建国" in body and number in body and "13812345678" in body
    assert response.headers["Cache-Control"] == "no-store"
    [event] = events_of(session, "household.reveal")
    assert event.target_id == household and event.actor_name == people["officer"].name
    assert event.detail == {"reason": "核对贷款合同中的身份信息"}
    assert number not in json.dumps(event.detail, ensure_ascii=False)
    # Opening the page again shows the masks only.
    again = client.get(f"/households/{household}").get_data(as_text=True)
    assert "陈建国" not in again and number not in again


def test_reveal_by_htmx_answers_with_the_box_only(as_user, people):
    household = open_file(people["officer"], head_name="陈建国")
    client = as_user("officer")
    token = csrf_of(client.get(f"/households/{household}"))
    response = client.post(f"/households/{household}/reveal", headers={"HX-Request": "true"},
                           data={"reason": "核对贷款合同中的身份信息", "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="reveal"' in body and "<html" not in body and "陈建国" in body


def test_reveal_needs_a_real_reason(as_user, people, session):
    household = open_file(people["officer"], head_name="陈建国")
    client = as_user("officer")
    token = csrf_of(client.get(f"/households/{household}"))
    for reason in ("", "看看", "12345678"):
        response = client.post(f"/households/{household}/reveal",
                               data={"reason": reason, "csrf_token": token})
        body = response.get_data(as_text=True)
        assert response.status_code == 422, reason
        assert 'id="reason-error"' in body and "陈建国" not in body
    assert events_of(session, "household.reveal") == []
    response = client.post("/households/00000000-0000-0000-0000-000000000000/reveal",
                           data={"reason": "核对贷款合同中的身份信息", "csrf_token": token})
    assert response.status_code == 404


def test_a_monitoring_event_is_added(as_user, people, session, business_date):
    today = business_date("2026-11-20")
    household = open_file(people["officer"])
    client = as_user("officer")
    token = csrf_of(client.get(f"/households/{household}?tab=events"))
    response = client.post(f"/households/{household}/events", data={
        "kind": "disaster", "occurred_on": (today - timedelta(days=3)).isoformat(),
        "note": "台风损毁大棚", "csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/households/{household}?tab=events")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "台风损毁大棚" in page and "灾害" in page and "监测事件已记录" in page
    assert "返贫风险</span>" in page
    [event] = session.execute(select(MonitoringEvent)).scalars().all()
    assert event.kind == "disaster" and event.occurred_on == date(2026, 11, 17)
    [audited] = events_of(session, "household.monitoring_event")
    assert audited.target_id == household


def test_a_monitoring_event_error_keeps_what_was_typed(as_user, people, session, business_date):
    business_date("2026-11-20")
    household = open_file(people["officer"])
    client = as_user("officer")
    token = csrf_of(client.get(f"/households/{household}?tab=events"))
    response = client.post(f"/households/{household}/events", data={
        "kind": "serious_illness", "occurred_on": "2026-12-01", "note": "住院治疗",
        "csrf_token": token})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "日期不能晚于今天" in body and 'id="occurred_on-error"' in body
    assert 'value="2026-12-01"' in body and 'value="住院治疗"' in body
    assert 'value="serious_illness" selected' in body
    response = client.post(f"/households/{household}/events", data={
        "kind": "", "occurred_on": "2026-11-01", "csrf_token": token})
    assert response.status_code == 422 and 'id="kind-error"' in response.get_data(as_text=True)
    assert session.execute(select(MonitoringEvent)).first() is None


def test_the_change_record_shows_before_and_after(as_user, people, session):
    household = open_file(people["officer"], head_name="陈建国", village="东湖村",
                          per_capita_income="6800.00")
    client = as_user("officer")
    edit = client.get(f"/households/{household}/edit")
    form = {"csrf_token": csrf_of(edit), "head_name": "陈建华", "town": "渔湖镇",
            "village": "西湖村", "status": "registered_poor", "per_capita_income": "7200.50",
            "productive_assets": "12000.00", "outside_debt": "0.00", "head_labour_capable": "true",
            "income_sources": ["planting", "wages"], "skills_training": "true",
            "cooperative_member": "false", "members-0-relation": "head",
            "members-0-birth_date": "1980-05-17", "members-0-labour_capable": "true",
            **{f"guarantees.{g}": "true" for g in ("food", "clothing", "education", "medical",
                                                  "housing")}}
    response = client.post(f"/households/{household}/edit", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    [event] = events_of(session, "household.update")
    assert event.before["village"] == "东湖村" and event.after["village"] == "西湖村"
    assert event.before["per_capita_income_fen"] == 680_000
    assert event.after["per_capita_income_fen"] == 720_050
    assert len(event.before["members"]) == 3 and len(event.after["members"]) == 1
    assert "town" not in event.after and "status" not in event.after  # unchanged: not recorded
    assert event.detail["personal"] == ["head_name"]
    trail = json.dumps([event.before, event.after, event.detail], ensure_ascii=False)
    assert "陈建华" not in trail and "陈建国" not in trail
    page = client.get(f"/households/{household}?tab=history").get_data(as_text=True)
    assert "修改档案" in page and "建档" in page
    assert "东湖村" in page and "西湖村" in page
    assert "¥6,800.00" in page and "¥7,200.50" in page
    assert "户主姓名" in page and "已修改" in page
    assert "陈建华" not in page and "陈建国" not in page
