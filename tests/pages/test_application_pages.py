"""贷款申请 pages through the test client: list, new, 试算, submit once, the application page."""

import re

import pytest

from creditsvc.infra.extensions import db
from models import IdempotencyRecord
from tests.factories import ApplicationFactory, HouseholdRowFactory
from tests.pages.cases import FORM, application, count_applications, household, referred_application
from tests.pages.people import csrf_of

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _form_of(client, household_id):
    """The new-application page's CSRF token and form token."""
    page = client.get(f"/applications/new?household={household_id}")
    assert page.status_code == 200
    return csrf_of(page), TOKEN.search(page.get_data(as_text=True)).group(1)


def _post(client, household_id, csrf, token, **changes):
    return client.post("/applications", data={**FORM, "household_id": household_id,
                                              "csrf_token": csrf, "form_token": token, **changes})


@pytest.mark.parametrize("path", ["/applications", "/applications/new", "/reviews"])
def test_a_bank_user_gets_the_403_page(as_user, path):
    response = as_user("psbc").get(path)
    assert response.status_code == 403 and "无权访问" in response.get_data(as_text=True)


def test_a_bank_user_may_not_open_or_post_to_an_application(as_user, people):
    app_id = referred_application(people["officer"])
    bank = as_user("psbc")
    assert bank.get(f"/applications/{app_id}").status_code == 403
    assert bank.get(f"/reviews/{app_id}").status_code == 403
    csrf = csrf_of(bank.get("/account/password"))  # the bank's own session token: the role is what refuses
    for path in ("/applications/preview", "/applications", f"/reviews/{app_id}"):
        assert bank.post(path, data={"csrf_token": csrf, **FORM}).status_code == 403, path


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/applications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/applications/no-such-id", "/reviews/no-such-id",
                                  "/applications/new?household=no-such-id"])
def test_unknown_ids_get_the_404_page(as_user, path):
    response = as_user("officer").get(path)
    assert response.status_code == 404 and "<html" in response.get_data(as_text=True)


def test_the_list_filters_by_status_and_mine_pages_and_masks(as_user, people):
    mine = people["officer"].user_id
    for _ in range(23):
        ApplicationFactory(submitted_by=mine, status="approved")
    ApplicationFactory(submitted_by=people["officer2"].user_id, status="approved")
    ApplicationFactory(submitted_by=mine, status="declined",
                       household=HouseholdRowFactory(head_name_masked="王**"))
    client = as_user("officer")
    first = client.get("/applications?status=approved&mine=1").get_data(as_text=True)
    assert "共 23 条" in first and "第 1 / 2 页" in first and first.count("<tr>") == 20
    assert "440524********0014" in first and "陈*" in first and "王**" not in first
    second = client.get("/applications?status=approved&mine=1&page=2").get_data(as_text=True)
    assert "第 2 / 2 页" in second and second.count("<tr>") == 3
    everyone = client.get("/applications?status=approved").get_data(as_text=True)
    assert "共 24 条" in everyone
    declined = client.get("/applications?status=declined&mine=1").get_data(as_text=True)
    assert "共 1 条" in declined and "王**" in declined
    bad = client.get("/applications?status=nonsense")
    assert bad.status_code == 422 and "请从列表中选择" in bad.get_data(as_text=True)


def test_the_household_is_found_by_its_exact_id_number(as_user):
    hid, number = household()
    client = as_user("officer")
    csrf = csrf_of(client.get("/applications/new"))
    found = client.post("/applications/new/household", data={"csrf_token": csrf, "id_number": number})
    assert found.status_code == 303 and found.headers["Location"].endswith(f"household={hid}")
    page = client.get(found.headers["Location"]).get_data(as_text=True)
    assert number not in page and number[:6] + "********" + number[-4:] in page
    other = number[:-4] + ("0000" if number[-4:] != "0000" else "0001")
    missing = client.post("/applications/new/household", data={"csrf_token": csrf, "id_number": other})
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert ("没有找到这个身份证号的户档案" in text or "身份证号校验位不正确" in text) and other in text


def test_preview_returns_the_assessment_fragment_and_saves_nothing(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    response = client.post("/applications/preview", headers={"HX-Request": "true"},
                           data={**FORM, "household_id": hid, "csrf_token": csrf, "form_token": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and 'id="application-area"' in text
    assert "data-assessment=" in text and "chart-gauge" in text and "chart-points" in text
    for words in ("信用评分", "AAA 80–100", "AA 70–79", "A 60–69", "未评级 0–59", "各项得分",
                  "人均纯收入", "规则检查", "贷款用于生产经营（种植）", "通过", "拉低评分的主要原因",
                  "申请金额", "评级授信额度", "家庭剩余可贷额度"):
        assert words in text, words
    assert token in text and 'value="20000.00"' in text  # the same form, nothing lost
    assert count_applications() == 0


def test_preview_of_an_approval_shows_the_amount_and_why(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    text = client.post("/applications/preview", data={
        **FORM, "amount": "8000.00", "household_id": hid, "csrf_token": csrf,
        "form_token": token}).get_data(as_text=True)
    assert ">核准</span>" in text and "¥8,000.00" in text and "取此项" in text
    assert "授信有效期至" in text and "年利率不超过 3.00%" in text and "授信额度10000元" in text


def test_preview_of_a_banned_purpose_shows_the_failed_rule(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    text = client.post("/applications/preview", data={
        **FORM, "purpose": "house_building", "household_id": hid, "csrf_token": csrf,
        "form_token": token}).get_data(as_text=True)
    assert "贷款不得用于建房" in text and "不通过" in text and "不予核准" in text


def test_preview_errors_are_in_chinese_beside_the_fields(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    response = client.post("/applications/preview", data={
        **FORM, "amount": "12.345", "term_months": "", "household_id": hid, "csrf_token": csrf,
        "form_token": token})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="amount-error"' in text and 'id="term_months-error"' in text
    assert "金额以元为单位，最多两位小数" in text and "必填" in text and 'value="12.345"' in text


def test_submitting_twice_with_one_form_token_makes_one_application(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    first = _post(client, hid, csrf, token)
    second = _post(client, hid, csrf, token)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count_applications() == 1
    again = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "这份申请已经提交过" in again
    assert db.session.query(IdempotencyRecord).count() == 1


def test_the_same_token_with_another_form_is_a_clear_error(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    assert _post(client, hid, csrf, token).status_code == 303
    changed = _post(client, hid, csrf, token, amount="5000.00")
    text = changed.get_data(as_text=True)
    assert changed.status_code == 422 and "这张表单已经提交过一份申请" in text
    assert 'value="5000.00"' in text and token not in text  # kept what was typed; a new token
    assert count_applications() == 1


def test_a_form_without_its_csrf_token_is_refused(as_user):
    hid, _ = household()
    client = as_user("officer")
    _, token = _form_of(client, hid)
    response = client.post("/applications", data={**FORM, "household_id": hid, "form_token": token})
    assert response.status_code == 400 and count_applications() == 0


def test_a_form_without_a_form_token_is_refused(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, _ = _form_of(client, hid)
    response = _post(client, hid, csrf, "not-a-token")
    assert response.status_code == 400 and "表单已失效" in response.get_data(as_text=True)
    assert count_applications() == 0


def test_validation_errors_are_in_chinese_and_keep_what_was_typed(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    response = _post(client, hid, csrf, token, amount="", term_months="十二", bank="ICBC")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="amount-error">必填' in text
    assert 'id="term_months-error">须为 1 到 600 之间的整数' in text
    assert 'id="bank-error">请从列表中选择' in text
    assert 'value="十二"' in text and token in text  # the same token: a fixed form submits once
    assert count_applications() == 0
    assert _post(client, hid, csrf, token).status_code == 303 and count_applications() == 1


def test_the_application_page_shows_the_whole_stored_assessment(app, as_user):
    app.add_url_rule("/households/<household_id>", "file_stub", lambda household_id: "")
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    location = _post(client, hid, csrf, token).headers["Location"]
    text = client.get(location).get_data(as_text=True)
    stored = application(location.rsplit("/", 1)[1])
    assert f"{stored.score:.2f}" in text and "申请信息" in text and "officer-li" in text
    assert "规则检查" in text and "各项得分" in text and "拉低评分的主要原因" in text
    assert f'href="/households/{hid}"' in text and "返回户档案" in text
    assert "echarts.min.js" in text and "assessment.js" in text


def test_the_pages_work_in_english_with_the_scoring_texts_in_english(as_user, people):
    app_id = referred_application(people["officer"])
    client = as_user("officer2")
    csrf = csrf_of(client.get("/applications"))
    client.post("/language", data={"csrf_token": csrf, "lang": "en"})
    for path in ("/applications", f"/applications/{app_id}", "/reviews", f"/reviews/{app_id}"):
        response = client.get(path)
        assert response.status_code == 200, path
    text = client.get(f"/reviews/{app_id}").get_data(as_text=True)
    assert "productive purpose (planting)" in text and "unrated" in text


def test_an_amount_and_term_outside_the_policy_are_refused_before_anything_is_saved(as_user):
    hid, _ = household()
    client = as_user("officer")
    csrf, token = _form_of(client, hid)
    refused = _post(client, hid, csrf, token, amount="60000", term_months="48", bank="ICBC")
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and count_applications() == 0
    # Every error at once, each beside its field: the policy's limits and the schema's.
    assert 'id="amount-error">金额不得超过政策最高额度 50000.00 元' in text
    assert 'id="term_months-error">期限须为 1 至 36 个月' in text
    assert 'id="bank-error">请从列表中选择' in text
    small = _post(client, hid, csrf, token, amount="500.00", term_months="0")
    text = small.get_data(as_text=True)
    assert small.status_code == 422 and count_applications() == 0
    assert 'id="amount-error">金额不得少于政策最低额度 1000.00 元' in text
    assert "期限须为 1 至 36 个月" in text
    # 试算 refuses the same, beside the fields, and shows no assessment.
    preview = client.post("/applications/preview", data={
        **FORM, "amount": "60000", "term_months": "48", "household_id": hid,
        "csrf_token": csrf, "form_token": token}).get_data(as_text=True)
    assert 'id="amount-error"' in preview and 'id="term_months-error"' in preview
    assert "试算结果" not in preview and count_applications() == 0
    assert _post(client, hid, csrf, token).status_code == 303 and count_applications() == 1
