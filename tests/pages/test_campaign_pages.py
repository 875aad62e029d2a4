"""The campaign's pages: list and open, the campaign page's steps, the committee page (all errors
at once, nothing saved), the spreadsheet round trip, 公示 and its printable list, objections, grant."""

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import func, select

from creditsvc.infra.extensions import db
from creditsvc.services.campaign import rate
from models import Campaign, CampaignEntry, CampaignObjection, CreditLine
from tests.campaign_scenario import fake_rate, surveyed
from tests.pages.people import csrf_of
from tests.today import TODAY
from tests.work import done


def _open(client, area="渔湖镇/东湖村"):
    token = csrf_of(client.get("/campaigns"))
    return client.post("/campaigns", data={"area": area, "csrf_token": token})


def _rated(client, people, grades=None):
    ids = surveyed(db.session, 3)
    response = _open(client)
    assert response.status_code == 303
    campaign_id = response.headers["Location"].rsplit("/", 1)[-1]
    from creditsvc.services.campaign.campaigns import get_campaign  # noqa: F401
    officer = db.session.get(Campaign, campaign_id)
    from creditsvc.core.principal import Principal
    actor = Principal(people["officer"].user_id, people["officer"].name, "officer")
    done(db.session, rate.rate_campaign, actor, officer.id, today=TODAY, rate=fake_rate(grades))
    return campaign_id, ids


def _entries(campaign_id):
    return {e.household_id: e for e in db.session.execute(
        select(CampaignEntry).where(CampaignEntry.campaign_id == campaign_id)).scalars()}


def test_the_list_opens_a_campaign_and_refuses_beside_the_area(as_user, people):
    client = as_user("officer")
    page = client.get("/campaigns").get_data(as_text=True)
    assert "新建评级活动" in page and "渔湖镇（全镇）" in page
    refused = _open(client)
    assert refused.status_code == 409
    assert "没有愿意贷款的已调查农户" in refused.get_data(as_text=True)
    surveyed(db.session, 2)
    made = _open(client)
    assert made.status_code == 303
    listing = client.get("/campaigns").get_data(as_text=True)
    assert "PJ-2026-000001" in listing and "待评级" in listing
    show = client.get(made.headers["Location"]).get_data(as_text=True)
    assert "全部评级" in show and "2 户有贷款意愿" in show
    # Another officer whose area is elsewhere gets 404.
    from tests.pages.people import assign_area
    assign_area(people["officer2"], "地都镇")
    assert as_user("officer2").get(made.headers["Location"]).status_code == 404


def test_rate_all_submits_a_job_shown_with_its_progress(as_user, people):
    client = as_user("officer")
    surveyed(db.session, 2)
    campaign_url = _open(client).headers["Location"]
    token = csrf_of(client.get(campaign_url))
    assert client.post(campaign_url + "/rating", data={"csrf_token": token}).status_code == 303
    page = client.get(campaign_url).get_data(as_text=True)
    assert 'id="rating-progress"' in page and "评级中：0 / 2 户" in page
    assert 'id="rate-all"' not in page  # no second submission while it runs
    assert client.get(campaign_url + "/rating").status_code == 200


def test_the_committee_page_shows_every_error_beside_its_row_and_saves_nothing(as_user, people):
    client = as_user("officer")
    campaign_id, ids = _rated(client, people)
    entries = _entries(campaign_id)
    url = f"/campaigns/{campaign_id}/committee"
    token = csrf_of(client.get(url))
    form = {"csrf_token": token,
            f"view-{entries[ids[0]].id}": "lower", f"line-{entries[ids[0]].id}": "40000",
            f"note-{entries[ids[0]].id}": "收入下降",
            f"view-{entries[ids[1]].id}": "disagree", f"note-{entries[ids[1]].id}": "",
            f"view-{entries[ids[2]].id}": "agree"}
    response = client.post(url, data=form)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "村委会意见有 2 户填写有误" in body
    assert "新的额度须大于 0 且低于评级额度 30000.00 元" in body
    assert "不同意或降低额度须写明理由" in body
    assert 'value="40000"' in body  # what was typed stays
    assert all(e.committee_view is None for e in _entries(campaign_id).values())
    form[f"line-{entries[ids[0]].id}"] = "20000"
    form[f"note-{entries[ids[1]].id}"] = "长期外出务工"
    assert client.post(url, data=form).status_code == 303
    saved = _entries(campaign_id)
    assert [(saved[h].committee_view, saved[h].proposed_line_fen) for h in ids] == [
        ("lower", 2_000_000), ("disagree", 0), ("agree", 3_000_000)]


def test_the_spreadsheet_round_trip_refuses_bad_rows_in_chinese_then_saves_all(as_user, people):
    client = as_user("officer")
    campaign_id, ids = _rated(client, people)
    got = client.get(f"/campaigns/{campaign_id}/committee.xlsx")
    assert got.status_code == 200
    book = load_workbook(io.BytesIO(got.data))
    sheet = book.active
    assert [c.value for c in sheet[1]][:8] == ["编号", "村", "户主", "身份证号", "等级", "评分",
                                               "评级额度（元）", "村委会意见"]
    assert sheet.max_row == 4 and sheet["E2"].value == "AA"
    sheet["H2"], sheet["I2"] = "同意", "一万"
    sheet["H3"], sheet["I3"], sheet["H4"] = "降低额度", "50000", "好"
    bad = io.BytesIO()
    book.save(bad)
    url = f"/campaigns/{campaign_id}/committee/upload"
    token = csrf_of(client.get(f"/campaigns/{campaign_id}/committee"))
    response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(bad.getvalue()), "v.xlsx")})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "第 2 行" in body and "第 3 行" in body and "评议额度（元）" in body and "第 4 行" in body
    assert "金额以元为单位" in body  # 一万 is no amount
    assert "意见须为 同意、不同意 或 降低额度" in body and "不同意或降低额度须写明理由" in body
    assert all(e.committee_view is None for e in _entries(campaign_id).values())
    sheet["I2"], sheet["I3"], sheet["J3"], sheet["H4"] = None, "8000", "家中有病人", "不同意"
    sheet["J4"] = "不愿贷款"
    good = io.BytesIO()
    book.save(good)
    response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(good.getvalue()), "v.xlsx")})
    assert response.status_code == 303
    views = sorted((e.committee_view, e.proposed_line_fen) for e in _entries(campaign_id).values())
    assert views == [("agree", 3_000_000), ("disagree", 0), ("lower", 800_000)]
    junk = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(b"PK\x03\x04junk"), "v.xlsx")})
    assert junk.status_code == 422 and "不是 xlsx 文件" in junk.get_data(as_text=True)


def _to_notice(client, campaign_id):
    url = f"/campaigns/{campaign_id}/committee"
    token = csrf_of(client.get(url))
    form = {"csrf_token": token, **{f"view-{e.id}": "agree" for e in _entries(campaign_id).values()}}
    assert client.post(url, data=form).status_code == 303
    show = f"/campaigns/{campaign_id}"
    assert client.post(show + "/notice", data={"csrf_token": token}).status_code == 303
    return token


def test_notice_objections_and_grant_in_order(as_user, people, business_date):
    client = as_user("officer")
    campaign_id, ids = _rated(client, people)
    show = f"/campaigns/{campaign_id}"
    token = csrf_of(client.get(show))
    early = client.post(show + "/grant", data={"csrf_token": token})
    assert early.status_code == 409 and "不在公示阶段" in early.get_data(as_text=True)
    _to_notice(client, campaign_id)
    page = client.get(show + "/notice").get_data(as_text=True)
    assert "公示期：2026年11月2日 至 2026年11月9日" in page and page.count("陈*") >= 3
    printed = client.get(show + "/notice/print").get_data(as_text=True)
    assert "东湖村 扶贫小额信贷评级授信公示" in printed and "村委会（盖章）" in printed
    assert "440524********0014" in printed and "¥30,000.00" in printed
    entry = _entries(campaign_id)[ids[0]]
    blank = client.post(show + "/objections", data={"csrf_token": token, "raised_by": "",
                                                    "content": ""})
    assert blank.status_code == 422
    assert client.post(show + "/objections", data={
        "csrf_token": token, "raised_by": "林小红", "content": "该户有稳定工资收入",
        "entry_id": entry.id}).status_code == 303
    objection = db.session.execute(select(CampaignObjection)).scalar_one()
    page = client.get(show + "/notice").get_data(as_text=True)
    assert "提出人：林**" in page and "林小红" not in page
    business_date(TODAY + timedelta(days=8))
    blocked = client.post(show + "/grant", data={"csrf_token": token})
    assert blocked.status_code == 409 and "还有 1 条异议未处理" in blocked.get_data(as_text=True)
    resolve = f"{show}/objections/{objection.id}/resolution"
    wrong = client.post(resolve, data={"csrf_token": token, "outcome": "adjust",
                                       "resolution": "核实属实", "line": "40000"})
    assert wrong.status_code == 422 and "调整后的额度须大于 0" in wrong.get_data(as_text=True)
    assert client.post(resolve, data={"csrf_token": token, "outcome": "adjust",
                                      "resolution": "核实属实，额度降为一万",
                                      "line": "10000"}).status_code == 303
    resolved = client.get(show + "/notice").get_data(as_text=True)
    assert "处理结果：核实属实，额度降为一万" in resolved and "处理人：officer-li" in resolved
    assert client.post(show + "/grant", data={"csrf_token": token}).status_code == 303
    assert db.session.execute(select(func.count()).select_from(CreditLine)).scalar_one() == 3
    page = client.get(show).get_data(as_text=True)
    assert "3 户已授信" in page and "已授信" in page
    lines = client.get(f"/households/{ids[0]}?tab=lines").get_data(as_text=True)
    assert "¥10,000.00" in lines and "2026年11月10日 – 2028年11月9日" in lines and "有效" in lines


def test_the_desk_and_nav_link_the_campaigns(as_user):
    page = as_user("officer").get("/desk").get_data(as_text=True)
    assert 'id="desk-campaigns"' in page and 'href="/campaigns"' in page
