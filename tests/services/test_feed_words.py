"""The feed's words are the refusal catalogue's: a row that cannot be read and a refused row."""

from datetime import date

from creditsvc.core import refusals
from creditsvc.core.errors import Invalid
from creditsvc.services.feed import files


def test_every_row_problem_and_count_has_a_catalogue_entry():
    problems = {files.row_problem("", None, None),
                files.row_problem("x" * (files.MAX_LOAN_ID + 1), None, None),
                files.row_problem("PSBC-2026-000001", None, None),
                files.row_problem("PSBC-2026-000001", date(2026, 3, 31), None)}
    assert problems == {"missing_loan_id", "invalid_loan_id", "invalid_as_of", "invalid_days_past_due"}
    assert files.row_problem("PSBC-2026-000001", date(2026, 3, 31), 0) is None
    for code in problems | set(files.COUNTED_AS.values()):
        assert code in refusals.CATALOGUE, code


def test_the_results_file_says_each_refusal_in_the_catalogues_chinese(app):
    refusal = Invalid("dpd_exceeds_age", as_of="2026-03-31", most=5, first_due_on="2026-03-26")
    rows = [files.FileRow(0, 2, "PSBC-2026-000001", date(2026, 3, 31), 9),
            files.FileRow(1, 3, "PSBC-2026-000002", date(2026, 3, 31), None, "invalid_days_past_due"),
            files.FileRow(2, 4, "PSBC-2026-000003", date(2026, 3, 31), 0)]
    applied = {0: (False, None, None, refusal.code, refusal.params), 2: (True, "正常", 0, None, None)}
    with app.test_request_context("/", headers={"Accept-Language": "en"}):  # the file stays Chinese
        body = files.results_csv(rows, applied).decode("utf-8-sig").splitlines()
    assert body[1].endswith("未处理,,,2026-03-31 该笔贷款最多逾期 5 天（首个还款日为 2026-03-26）")
    assert body[2].endswith(f"未处理,,,逾期天数应为 0 至 {files.MAX_DPD} 的整数")
    assert body[3].endswith("已处理,正常,0,")
    assert files.problem_en("invalid_loan_id") == (
        f"the loan number is longer than {files.MAX_LOAN_ID} characters")


def test_a_jobs_count_names_a_refusal_without_one_rows_dates(app):
    with app.test_request_context("/"):
        from creditsvc.pages.formatting import feed_problem
        assert feed_problem("dpd_exceeds_age") == "逾期天数超过该贷款自首个还款日至统计日期的天数"
        assert feed_problem("loan_not_found") == "贷款不存在或无权查看"
        assert feed_problem("invalid_loan_id") == f"贷款编号过长（最多 {files.MAX_LOAN_ID} 个字符）"
