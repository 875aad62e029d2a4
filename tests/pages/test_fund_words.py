"""The fund office's pages in people's words: the policy, the ledger's 摘要, stress, charts, models."""

import json
import re

from creditsvc.infra.extensions import db
from creditsvc.pages.fund.overview import breakdown_chart
from creditsvc.pages.fund.policy_words import worded
from tests.books import fund_with
from tests.pages.bank_books import loan, paid_claim
from tests.pages.test_page_words import visible_text


def test_the_policy_page_shows_labels_percentages_and_tables(as_user):
    text = visible_text(as_user("fund").get("/fund/policy").get_data(as_text=True))
    for shown in ("建档立卡贫困户、已脱贫户、监测户（边缘易致贫户）", "种植、养殖", "15.00%", "80.00%",
                  "¥50,000.00", "365 天", "项目初始政策"):
        assert shown in text, shown
    for raw in ('["registered_poor"', "[[", "0.15", "0.80", "DESIGN.md", "programme defaults"):
        assert raw not in text, raw
    page = as_user("fund").get("/fund/policy").get_data(as_text=True)
    assert page.count('class="table table-sm table-bordered mb-0 w-auto policy-table"') == 3


def test_a_policy_value_is_worded_by_its_kind(app):
    with app.test_request_context("/"):
        assert worded("grade_bands", [["AAA", 80, "50000"]]) == {
            "head": ["信用等级", "最低分", "授信额度"], "rows": [["AAA", "80", "¥50,000.00"]]}
        assert worded("lpr_table", [["2025-05-20", "0.0300", "0.0350"]])["rows"] == [
            ["2025年5月20日", "3.00%", "3.50%"]]
        assert worded("bank_shares", [["PSBC", "0.60"]])["rows"] == [["中国邮政储蓄银行", "60.00%"]]
        assert worded("leverage", 10) == {"text": "10 倍"}


def test_a_policy_versions_difference_is_in_words(as_user):
    client = as_user("fund")
    form = client.get("/fund/policy/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    current = dict(re.findall(r'name="([a-z_]+)"\s+type="(?:text|date)" value="([^"]*)"', form))
    client.post("/fund/policy/edit", data={**current, "fund_loss_share": "0.70",
                                           "csrf_token": token})
    page = client.get("/fund/policy").get_data(as_text=True)
    version2 = visible_text(re.search(r'id="version-2">(.*?)</div></div>', page, re.S).group(1))
    assert "基金分担比例" in version2 and "80.00%" in version2 and "70.00%" in version2


def test_a_claims_ledger_entry_is_worded_and_links_to_its_claim(app, as_user):
    fund_with(db.session, 50_000_000)
    db.session.close()
    claim_id = paid_claim(loan(dpd=120))
    page = as_user("fund").get("/fund/ledger").get_data(as_text=True)
    summary = re.search(r'<td class="text-break entry-summary"><a href="([^"]+)">([^<]+)</a>', page)
    assert summary.group(1) == f"/fund/claims/{claim_id}"
    assert summary.group(2).startswith("贷款 ") and summary.group(2).endswith(" 的代偿")
    assert f"claim {claim_id}" not in page


def test_the_stress_method_and_the_models_description_are_in_chinese(as_user):
    fund_with(db.session, 50_000_000)
    db.session.close()
    stress = as_user("fund").get("/fund/stress?paths=1000&seed=7&horizon=12").get_data(as_text=True)
    assert "方法：逐笔精确模拟" in stress or "方法：条件抽样模拟" in stress
    models = visible_text(as_user("admin").get("/admin/models").get_data(as_text=True))
    assert "初始评分卡：用合成贷款数据" in models and "初始模型（随系统安装）" in models
    assert "BOOTSTRAP" not in models and "bootstrap" not in models


def test_chart_categories_are_all_named(app):
    with app.test_request_context("/"):
        rows = [{"key": "AAA", "outstanding_fen": 100}, {"key": None, "outstanding_fen": 200}]
        assert json.loads(breakdown_chart(rows, "grade", "按信用等级"))["categories"] == [
            "AAA", "未评级"]
        villages = [{"key": f"村{i}", "outstanding_fen": i} for i in range(20)]
        assert len(json.loads(breakdown_chart(villages, None, "按村", 15))["categories"]) == 15
