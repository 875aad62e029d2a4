"""户档案 list: who may open it, filters, exact search by keyed hash, keyset paging."""

import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest

from creditsvc.infra.extensions import db
from tests.books import set_fund
from tests.factories import HouseholdRowFactory, LoanFactory, id_number
from tests.pages.household_files import add_shock, open_file
from tests.pages.people import csrf_of
from tests.today import TODAY

ROW_LINK = re.compile(r'href="/households/([0-9a-f-]{36})"')


def listed(response) -> list[str]:
    """The ids of the files a list page shows, in order."""
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    return ROW_LINK.findall(response.get_data(as_text=True))


@pytest.mark.parametrize("who", ["psbc", "abc", "fund", "admin"])
def test_only_officers_open_the_list(as_user, who):
    response = as_user(who).get("/households")
    assert response.status_code == 403
    assert "您的角色无权打开此页面" in response.get_data(as_text=True)


def test_signed_out_goes_to_sign_in(client):
    response = client.get("/households")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_personal_data_is_masked(as_user, people):
    open_file(people["officer"], head_name="陈建国", id_number="440524198005170014",
              phone="13812345678")
    page = as_user("officer").get("/households").get_data(as_text=True)
    assert "陈**" in page and "440524********0014" in page and "138****5678" in page
    assert "陈建国" not in page and "440524198005170014" not in page and "13812345678" not in page


def test_filters_by_town_village_status_and_mine(as_user, people):
    a = open_file(people["officer"], town="渔湖镇", village="东湖村")
    b = open_file(people["officer"], town="地都镇", village="南山村", status="lifted", lifted_year=2019)
    c = open_file(people["officer2"], town="渔湖镇", village="西溪村", status="monitored_edge")
    client = as_user("officer")
    assert set(listed(client.get("/households"))) == {a, b, c}
    assert listed(client.get("/households?town=渔湖镇")) == [a, c]
    assert listed(client.get("/households?village=南山村")) == [b]
    assert listed(client.get("/households?status=monitored_edge")) == [c]
    assert listed(client.get("/households?mine=true")) == [a, b]
    assert listed(client.get("/households?mine=1&town=渔湖镇")) == [a]
    assert listed(client.get("/households?mine=true&town=渔湖镇&status=lifted")) == []


def test_a_bad_filter_is_shown_beside_its_field(as_user):
    response = as_user("officer").get("/households?town=北京")
    assert response.status_code == 422
    assert 'id="town-error"' in response.get_data(as_text=True)
    assert "请从列表中选择" in response.get_data(as_text=True)


def test_has_loan_and_risk_filters(as_user, people, session):
    today = TODAY
    set_fund(session, 50_000_000)
    plain = open_file(people["officer"])
    borrower = open_file(people["officer"])
    shocked = open_file(people["officer"])
    old_shock = open_file(people["officer"])
    _loan_for(borrower)
    add_shock(people["officer"], shocked, today - timedelta(days=30))
    add_shock(people["officer"], old_shock, today - timedelta(days=400), kind="disaster")
    client = as_user("officer")
    # mine: the loan's own factory-made household file is listed too, but not as mine.
    assert listed(client.get("/households?mine=1&has_loan=true")) == [borrower]
    assert listed(client.get("/households?mine=1&has_loan=false")) == [plain, shocked, old_shock]
    assert listed(client.get("/households?mine=1&risk=1")) == [shocked]
    assert listed(client.get("/households?mine=1&risk=0")) == [plain, borrower, old_shock]
    page = client.get("/households?mine=1").get_data(as_text=True)
    assert page.count("返贫风险</span>") == 1 and page.count(">在贷</span>") == 1


def _loan_for(household_id: str):
    """An active loan of the household file HOUSEHOLD_ID."""
    loan = LoanFactory()
    loan.household_id = household_id
    db.session.commit()
    return loan


def searched(client, text: str, **filters):
    """The list after the search box's post: the redirect never carries the typed text."""
    token = csrf_of(client.get("/households"))
    response = client.post("/households/search", data={"q": text, "csrf_token": token, **filters})
    assert response.status_code == 302
    location = unquote(response.headers["Location"])
    assert text.strip() not in location or not text.strip()
    return client.get(response.headers["Location"])


def test_search_by_id_number_phone_and_full_name(as_user, people):
    number = id_number(date(1979, 3, 4))
    target = open_file(people["officer"], head_name="林秀英", id_number=number, phone="13900001111")
    other = open_file(people["officer"], head_name="林秀", phone="13900002222")
    client = as_user("officer")
    for text in (number, number.lower(), "139 0000 1111", "+8613900001111", " 林秀英 "):
        response = searched(client, text)
        assert listed(response) == [target], text
        assert 'id="current-search"' in response.get_data(as_text=True)
    assert "正在按身份证号精确查找" in searched(client, number).get_data(as_text=True)
    # A name's beginning finds every name it begins (two characters: a full name too) ...
    for beginning in ("林", " 林秀"):
        response = searched(client, beginning)
        assert set(listed(response)) == {target, other}, beginning
        assert "正在按户主姓名的开头查找" in response.get_data(as_text=True)
    # ... but three characters are a full name, and a number is exact: a part of a name past
    # its beginning, a masked number or a wrong check digit finds nothing.
    for partial in ("秀英", "林秀英英", "林*英", number[:-1] + ("0" if number[-1] != "0" else "1"),
                    "139****1111", "1390000111", "林" * 41):
        response = searched(client, partial)
        assert listed(response) == [], partial
        assert "没有符合条件的户档案" in response.get_data(as_text=True)


def test_search_combines_with_filters(as_user, people):
    target = open_file(people["officer"], head_name="黄志强", town="砲台镇")
    client = as_user("officer")
    assert listed(searched(client, "黄志强", town="砲台镇")) == [target]
    assert listed(searched(client, "黄志强", town="登岗镇")) == []
    assert len(listed(searched(client, "", town="砲台镇"))) == 1  # no text: the filters alone


def test_search_text_in_an_address_is_refused(as_user):
    response = as_user("officer").get("/households?q=陈建国")
    assert response.status_code == 422


def test_keyset_pages_forward_and_back(app, as_user, people):
    app.config["PAGES_PAGE_SIZE"] = 4
    rows = HouseholdRowFactory.create_batch(10, created_by=people["officer"].user_id)
    expected = [h.id for h in sorted(rows, key=lambda h: (h.created_at, h.id))]
    db.session.close()  # no read left open: the pages write in sessions of their own
    client = as_user("officer")
    first = client.get("/households?mine=true")
    seen, pages, response = [], [], first
    while True:
        ids = listed(response)
        pages.append(ids)
        seen += ids
        body = response.get_data(as_text=True)
        # The first page counts the total; the pages after it say which page they are.
        assert ("共 10 条" if len(pages) == 1 else f"第 {len(pages)} 页") in body
        found = re.search(r'rel="next" href="([^"]+)"', body)
        if not found:
            break
        assert "mine=true" in found.group(1)  # the filters stay with the page
        response = client.get(found.group(1).replace("&amp;", "&"))
    assert seen == expected
    assert [len(p) for p in pages] == [4, 4, 2]
    # Back from the last page gives the middle page again, then the first.
    prev = re.search(r'rel="prev" href="([^"]+)"', response.get_data(as_text=True)).group(1)
    middle = client.get(prev.replace("&amp;", "&"))
    assert listed(middle) == pages[1]
    prev = re.search(r'rel="prev" href="([^"]+)"', middle.get_data(as_text=True)).group(1)
    assert listed(client.get(prev.replace("&amp;", "&"))) == pages[0]
    assert 'rel="prev"' not in first.get_data(as_text=True)


def test_a_cursor_not_from_a_page_is_refused(as_user):
    response = as_user("officer").get("/households?after=not-a-cursor")
    assert response.status_code == 422


def test_a_total_past_the_cap_is_still_given(app, as_user, people, monkeypatch):
    from creditsvc.services.platform import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 3)
    HouseholdRowFactory.create_batch(5)
    db.session.close()
    body = as_user("officer").get("/households").get_data(as_text=True)
    if db.engine.dialect.name == "postgresql":  # the planner's estimate, labelled as one
        assert re.search(r"约 [\d,]+ 条（估计数）", body)
    else:  # SQLite counts
        assert "共 5 条" in body
    assert "超过" not in body


def test_a_village_is_found_by_part_of_its_name(as_user, people):
    west = open_file(people["officer"], town="渔湖镇", village="西田村")
    lower = open_file(people["officer"], town="渔湖镇", village="下西田村")
    open_file(people["officer"], town="渔湖镇", village="东湖村")
    client = as_user("officer")
    assert set(listed(client.get("/households?village=西田"))) == {west, lower}
    assert listed(client.get("/households?village=西田村")) == [west, lower]
    assert listed(client.get("/households?village=%25")) == []  # a wildcard is a character


def test_the_empty_message_speaks_of_what_was_searched(as_user, people):
    open_file(people["officer"], head_name="邱永强")
    client = as_user("officer")
    assert listed(searched(client, "邱")) and listed(searched(client, "邱永"))
    by_name = searched(client, "邱永刚").get_data(as_text=True)
    shown = by_name[by_name.index('role="status"'):][:300]
    assert "完整姓名" in shown and "身份证号" not in shown
    by_beginning = searched(client, "丘").get_data(as_text=True)
    assert "前一两个字" in by_beginning[by_beginning.index('role="status"'):][:300]
    by_number = searched(client, id_number(date(1990, 1, 2))).get_data(as_text=True)
    assert "身份证号" in by_number[by_number.index('role="status"'):][:300]
    filtered = client.get("/households?town=登岗镇").get_data(as_text=True)
    shown = filtered[filtered.index('role="status"'):][:300]
    assert "没有符合条件的户档案。" in shown and "身份证号" not in shown
