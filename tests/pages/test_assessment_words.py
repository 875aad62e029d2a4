"""Reasons a household can be told: missing fields named, score reasons in the feature's words."""

import re

import pytest

from creditsvc.pages.applications.assessment import explained
from creditsvc.pages.applications.explain import band_words, missing_words, value_words
from tests.pages.cases import FORM, household
from tests.pages.people import csrf_of

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
CODE = re.compile(r"\[[0-9.]+, [0-9.]+\)|\b[a-z]+_[a-z_]+\b")


@pytest.fixture
def zh(app):
    with app.test_request_context("/", headers={"Accept-Language": "zh-CN"}):
        yield


def test_a_missing_member_field_names_the_member_without_personal_data(zh):
    members = [{"relation": "spouse", "birth_date": "1985-03-02", "labour_capable": None}]
    assert missing_words("members[0].labour_capable", members) == "成员 1（配偶，1985 年生）的劳动能力未填"
    assert missing_words("per_capita_income", members) == "人均纯收入未填"
    assert missing_words("guarantees.housing", members) == "“住房安全有保障”未填"


@pytest.mark.parametrize(("feature", "band", "words"), [
    ("loan_to_income", "[1.28999, 3.32668)", "129% 至 333%"),
    ("per_capita_income", "< 3620", "低于 ¥3,620.00"),
    ("borrower_age", ">= 55", "55 岁及以上"),
    ("labour_members", "[2, 3)", "2 人 至 3 人"),
    ("purpose", "husbandry, rural_tourism", None),
    ("skills_training", "< 1", None),
])
def test_a_band_reads_in_the_features_unit(zh, feature, band, words):
    assert band_words(feature, band) == words


def test_values_read_in_words(zh):
    assert value_words("loan_to_income", 2.1) == "210%"
    assert value_words("purpose", "husbandry") == "养殖"
    assert value_words("cooperative_member", 0) == "否"
    assert value_words("per_capita_income", None) == "无记录"


def _stored() -> dict:
    return {
        "input": {"household": {"members": [{"relation": "child", "birth_date": None}]}},
        "rules": [{"id": "file_complete", "text_zh": "户档案信息须完整", "text_en": "complete",
                   "value": ["members[0].labour_capable"], "threshold": [], "outcome": "refer"}],
        "points": [{"feature": "loan_to_income", "value": 2.1, "bin": "[1.28999, 3.32668)",
                    "points": 0.43, "max_points": 10.77},
                   {"feature": "recent_shocks", "value": 0, "bin": "< 1", "points": 0.0,
                    "max_points": 0.0}],
        "reasons": [{"code": "RC_LOAN_TO_INCOME", "feature": "loan_to_income", "text_zh": "x",
                     "text_en": "x", "shortfall": 10.3}],
        "decision_reasons": [{"code": "rule:file_complete", "text_zh": "户档案信息须完整",
                              "text_en": "complete"}],
    }


def test_a_stored_assessment_is_explained_from_its_values(zh):
    words = explained(_stored())
    assert words["reasons"] == ["贷款额与家庭年收入之比为 210%（处于 129% 至 333% 一档），拉低了评分"]
    assert words["decision_reasons"] == [{"text": "户档案信息须完整",
                                          "details": ["成员 1（子女）的劳动能力未填"]}]
    assert words["rules"][0]["details"] == ["成员 1（子女）的劳动能力未填"]
    assert [p["label"] for p in words["points"]] == ["贷款额与家庭年收入之比"]  # no 0 of 0
    stored = {**_stored(), "points": [{"feature": "per_capita_income", "value": None,
                                       "bin": "missing", "points": 7.6, "max_points": 17.4}],
              "reasons": [{"code": "RC_PER_CAPITA_INCOME", "feature": "per_capita_income"}]}
    assert explained(stored)["reasons"] == ["人均纯收入无记录，拉低了评分"]


def test_the_preview_of_a_referral_names_the_missing_field(as_user):
    hid, _ = household(members=[
        {"relation": "head", "birth_date": "1980-05-17", "labour_capable": True},
        {"relation": "spouse", "birth_date": "1982-01-09", "labour_capable": None}])
    client = as_user("officer")
    page = client.get(f"/applications/new?household={hid}")
    csrf, token = csrf_of(page), TOKEN.search(page.get_data(as_text=True)).group(1)
    text = client.post("/applications/preview", data={
        **FORM, "household_id": hid, "csrf_token": csrf, "form_token": token}).get_data(as_text=True)
    assert "户档案信息须完整" in text and "成员 1（配偶，1982 年生）的劳动能力未填" in text
    reasons = re.search(r'<ol class="mb-0 reasons">(.*?)</ol>', text, re.S)
    if reasons:  # what lowered the score reads without codes or raw bounds
        assert "拉低了评分" in reasons.group(1) and not CODE.search(reasons.group(1))
    assert "0.00</td><td class=\"money\">0.00" not in text


def test_the_review_queue_tells_why_with_the_facts(as_user, people):
    from tests.pages.cases import referred_application
    referred_application(people["officer"])
    text = as_user("officer2").get("/reviews").get_data(as_text=True)
    assert "近期事件：大病" in text
