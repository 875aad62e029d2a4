"""信用评级 and 应贷未贷 pages: rows in Chinese, filters, counts, cards on a phone, the desk's links."""

import re
from datetime import timedelta

from tests.campaign_books import rated
from tests.pages.people import make_person, sign_in
from tests.today import TODAY


def rows_of(text: str, table: str) -> list[str]:
    body = text[text.index(f'id="{table}"'):]
    body = body[:body.index("</table>")]
    return re.findall(r"<tr class=\"[^\"]*-row\">(.*?)</tr>", body, re.S)


def cell(row: str, label: str) -> str:
    """The text of ROW's cell labelled LABEL (its data-label: what a phone card shows)."""
    found = re.search(rf'data-label="{label}">(.*?)</td>', row, re.S).group(1)
    return re.sub(r"<[^>]+>", "", found).strip()


def test_the_rating_list_in_chinese_with_each_lines_state(as_user):
    rated("渔湖镇", "东湖村", grade="AAA", name="邱*")
    rated("渔湖镇", "西田村", valid_from=TODAY - timedelta(days=800),
          granted_on=TODAY - timedelta(days=800), valid_until=TODAY - timedelta(days=1))
    rated("地都镇", "新村", status="replaced", grade="A")
    client = as_user("officer")
    page = client.get("/lists/ratings")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "共 3 条" in text
    first, expired, replaced = rows_of(text, "ratings")
    granted = TODAY - timedelta(days=30)
    until = granted.replace(year=granted.year + 2) - timedelta(days=1)
    assert (cell(first, "户主"), cell(first, "镇 / 村"), cell(first, "等级")) == (
        "邱*", "渔湖镇 东湖村", "AAA")
    assert cell(first, "授信额度") == "¥50,000.00"
    assert cell(first, "授信时间") == f"{granted.year}年{granted.month}月{granted.day}日"
    assert cell(first, "到期") == f"{until.year}年{until.month}月{until.day}日"
    assert [cell(r, "授信状态") for r in (first, expired, replaced)] == ["有效", "已过期", "已替换"]
    assert 'class="table-stack' in text  # cards at phone width
    filtered = client.get("/lists/ratings?town=渔湖镇&state=expired").get_data(as_text=True)
    assert [cell(r, "镇 / 村") for r in rows_of(filtered, "ratings")] == ["渔湖镇 西田村"]
    assert len(rows_of(client.get("/lists/ratings?grade=A").get_data(as_text=True), "ratings")) == 1
    bad = client.get("/lists/ratings?grade=B")
    assert bad.status_code == 422 and "请从列表中选择" in bad.get_data(as_text=True)


def test_unborrowed_with_its_counts_and_the_desk(as_user):
    for village in ("东湖村", "东湖村", "西田村"):
        rated("渔湖镇", village)
    rated("渔湖镇", "西田村", willing=False)
    rated("地都镇", "新村", valid_from=TODAY - timedelta(days=731),
          granted_on=TODAY - timedelta(days=731), valid_until=TODAY - timedelta(days=1))
    client = as_user("officer")
    text = client.get("/lists/unborrowed").get_data(as_text=True)
    assert "共 3 条" in text and "按镇、村统计（共 3 户）" in text
    counts = rows_of(text, "unborrowed-counts")
    assert [(cell(r, "镇"), cell(r, "村"), cell(r, "户数")) for r in counts] == [
        ("渔湖镇", "全镇", "3"), ("渔湖镇", "东湖村", "2"), ("渔湖镇", "西田村", "1")]
    row = rows_of(text, "unborrowed")[0]
    assert (cell(row, "意向金额"), cell(row, "授信额度")) == ("¥20,000.00", "¥30,000.00")
    west = client.get("/lists/unborrowed?village=西田").get_data(as_text=True)
    assert [cell(r, "镇 / 村") for r in rows_of(west, "unborrowed")] == ["渔湖镇 西田村"]
    desk = client.get("/desk").get_data(as_text=True)
    lines = re.search(r'href="(/lists/ratings\?state=valid)" id="stat-lines">.*?class="count[^"]*">([\d,]+)<',
                      desk, re.S)
    waiting = re.search(r'href="(/lists/unborrowed)" id="stat-unborrowed">.*?class="count[^"]*">([\d,]+)<',
                        desk, re.S)
    assert lines.group(2) == "4" and waiting.group(2) == "3"


def test_an_officer_elsewhere_sees_nothing_and_a_bank_user_is_refused(app, as_user):
    rated("渔湖镇", "东湖村")
    elsewhere = make_person("officer-paotai", area=("砲台镇",))
    client = app.test_client()
    assert sign_in(client, elsewhere).status_code == 302
    for path in ("/lists/ratings", "/lists/unborrowed"):
        text = client.get(path).get_data(as_text=True)
        assert "共 0 条" in text and "/households/" not in text
        assert as_user("psbc").get(path).status_code == 403
        assert as_user("fund").get(path).status_code == 403
    desk = client.get("/desk").get_data(as_text=True)
    assert re.search(r'id="stat-unborrowed">.*?class="count[^"]*">0<', desk, re.S)
