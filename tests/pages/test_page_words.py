"""Every page each role can open, in Chinese: no snake_case code and no English sentence shown.

The walk takes every GET route of the pages from the app's URL map (a new page is walked
without being listed here), fills its ids from one small book with a record of each kind, and
reads the visible text (tags, scripts and styles removed) of each page a role may open.
"""

import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from creditsvc.infra.extensions import db
from models import Job, JournalEntry
from tests.books import fund_with
from tests.campaign_books import rated
from tests.pages.bank_books import accepted, approved, disbursed, loan, paid_claim
from tests.pages.cases import referred_application
from tests.pages.household_files import open_file
from tests.pages.people import csrf_of

ROLES = ("officer", "psbc", "fund", "admin")
# Pages in a state a plain GET does not reach: a stress result, a list given a bad cursor.
EXTRA = {"officer": ["/households?after=bad", "/loans?after=bad", "/applications?page=nonsense",
                     "/exports/area_loans?class=关注&overdue=true", "/exports/households?risk=true",
                     "/exports/credit_ratings?state=valid", "/exports/unborrowed",
                     "/exports/coming_due", "/exports/area_loans?class=bad", "/loans/due?which=fallen"],
         "psbc": ["/bank/loans?after=bad", "/bank/applications?after=bad", "/exports/loans?status=active",
                  "/exports/fallen_due", "/loans/due?which=fallen",
                  "/exports/claims", "/exports/applications?status=accepted"],
         "fund": ["/fund/stress?paths=1000&seed=7&horizon=12", "/fund/ledger?kind=claim_draw",
                  "/exports/loans", "/exports/claims?status=paid", "/exports/ledger?kind=claim_draw",
                  "/exports/exposure", "/exports/applications"]}
# Files, fragments and probes: not pages a person reads.
NOT_PAGES = {"site.healthz", "site.readyz", "job_pages.result", "job_pages.feed_template",
             "household_files.member_row", "job_pages.progress", "papers.credit_line_notice",
             "papers.recommendation", "papers.publicity", "papers.claim_form", "papers.schedule",
             "ledger_pages.export", "ledger_pages.stats_export", "papers.subsidy_statement"}
# Shown on purpose: the banks' and the programme's acronyms, file kinds, metric names.
KNOWN = {"API", "PSBC", "ABC", "CSV", "XLSX", "LPR", "AUC", "KS", "PAR30", "PAR90", "AAA", "AA",
         "Brier", "ID", "ECharts", "English", "SHA"}
# A date as data is written 2026年3月2日 (formatting.day); an ISO date only as a typing example.
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
# Three words of Latin letters in a row is a sentence (or a phrase of one) in English.
SENTENCE = re.compile(r"\b[A-Za-z][A-Za-z']+(?:[ ,]+[A-Za-z][A-Za-z']+){2,}\b")
# An element marked lang="en" holds English on purpose (a bank's English name), one marked
# translate="no" an identifier (a key's prefix, a generated password): data, not Chinese text.
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<(\w+)[^>]*\b(?:lang=\"en\"|translate=\"no\")[^>]*>.*?</\2>"
                  r"|<!--.*?-->|<[^>]+>",
                  re.S | re.I)


def visible_text(page: str) -> str:
    """What a reader sees of PAGE: its text without markup, entities decoded."""
    return html.unescape(TAGS.sub(" ", page))


def faults(text: str) -> list[str]:
    """The snake_case codes and English sentences in TEXT (known tokens allowed)."""
    found = SNAKE.findall(text)
    for sentence in SENTENCE.findall(text):
        words = [w for w in re.split(r"[ ,]+", sentence) if w not in KNOWN]
        if len(words) >= 3:
            found.append(sentence)
    return found


@pytest.fixture
def book(app, people, business_date):
    """One record of each kind the pages show, and the ids that fill the routes."""
    fund_with(db.session, 50_000_000)
    db.session.close()
    household_id = open_file(people["officer"])
    referred = referred_application(people["officer"])
    shown = approved()
    ready = accepted()
    bank_loan = disbursed()
    claim_id = paid_claim(loan(dpd=120))
    rated()  # a granted line, willing: a row on 信用评级 and on 应贷未贷
    entry_id = db.session.execute(select(JournalEntry.id).where(
        JournalEntry.kind == "contribution")).scalars().first()
    statement_id = announced_statement()
    db.session.close()
    return {"household_id": household_id, "application_id": {"officer": referred, "psbc": shown},
            "ready": ready, "loan_id": bank_loan, "claim_id": claim_id, "entry_id": entry_id,
            "user_id": people["officer"].user_id, "statement_id": statement_id}


def announced_statement() -> str:
    """PSBC's announced subsidy statement for 2026 Q3, its one line stopped (diverted)."""
    from tests.api.object_makers import make_subsidy_statement

    return make_subsidy_statement(None, None, "PSBC")


def feed_job(client, loan_id) -> str:
    """A feed uploaded by the bank (held for its confirmation): its job id."""
    client.post("/jobs/feed", data={"csrf_token": csrf_of(client.get("/jobs/feed")), "file": (
        io.BytesIO(f"贷款编号,统计日期,逾期天数\n{loan_id},2026-01-01,0\n".encode()), "feed.csv")},
        content_type="multipart/form-data")
    return db.session.execute(select(Job.id)).scalars().first()


def paths(app, book: dict, who: str) -> list[str]:
    """Every GET page route, its ids filled from the book for WHO."""
    out = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api", "/static")) \
                or rule.endpoint in NOT_PAGES:
            continue
        values = {}
        for arg in rule.arguments:
            if arg == "application_id":
                values[arg] = book["application_id"].get(who, book["application_id"]["officer"])
                if rule.endpoint == "bank.disburse":
                    values[arg] = book["ready"]
                if rule.endpoint == "papers.reveal_form":  # a paper of an approved application
                    values[arg] = book["application_id"]["psbc"]
            elif arg in book:
                values[arg] = book[arg]
            else:
                values = None  # bank.bulk_result: a token only a bulk acceptance makes
                break
        if values is not None:
            out.append(rule.build(values)[1])
    return sorted(out)


def test_every_page_reads_in_chinese_without_codes_or_english(app, as_user, book, business_date):
    business_date(date(2026, 3, 2))
    opened, problems = 0, {}
    for who in ROLES:
        client = as_user(who)
        if who == "psbc":
            book["job_id"] = feed_job(client, book["loan_id"])
        for path in paths(app, book, who) + EXTRA.get(who, []):
            response = client.get(path, headers={"Accept-Language": "zh-CN"})
            if response.status_code in (302, 403, 404) or response.mimetype != "text/html":
                continue
            assert response.status_code in (200, 422), (who, path, response.status_code)
            opened += 1
            found = faults(visible_text(response.get_data(as_text=True)))
            found += ISO_DATE.findall(visible_text(response.get_data(as_text=True)))
            if found:
                problems[f"{who} {path}"] = sorted(set(found))
    login = app.test_client().get("/login", headers={"Accept-Language": "zh-CN"})
    found = faults(visible_text(login.get_data(as_text=True)))
    if found:
        problems["signed out /login"] = found
    assert not problems, problems
    assert opened >= 45  # the walk reached the pages, not only refusals


@pytest.mark.parametrize("path", ["/households?after=bad", "/loans?after=bad", "/lists/ratings?after=bad",
                                  "/lists/unborrowed?after=bad"])
def test_a_bad_page_cursor_is_told_in_chinese_with_a_way_back(as_user, path):
    response = as_user("officer").get(path)
    text = visible_text(response.get_data(as_text=True))
    assert response.status_code == 422 and "翻页位置无效，请从第一页重新开始" in text
    assert "请求无法完成" not in text and "回到第一页" in text


def test_the_check_finds_codes_and_sentences():
    assert faults("状态 loan_not_found") == ["loan_not_found"]
    assert faults("BOOTSTRAP scorecard trained on a synthetic loan book") != []
    assert faults("PSBC-2026-000123 · ¥1,000.00 · 导出 CSV / XLSX · AUC 0.71 · LPR") == []
    assert visible_text("<p>方法：<script>var a_b = 1;</script>逐笔</p>").split() == ["方法：", "逐笔"]
    assert visible_text('<td lang="en">Postal Savings Bank</td><td>邮储</td>').split() == ["邮储"]


def test_a_snapshot_jobs_summary_is_in_words(as_user, business_date):
    from creditsvc.core.principal import Principal
    from creditsvc.jobs import worker
    from creditsvc.services.platform import jobs

    business_date(date(2026, 3, 2))
    fund_with(db.session, 50_000_000)
    job_id = jobs.submit(db.session, Principal(None, "fund-qian", "fund_manager"),
                         "monthly_snapshot", {"month": "2026-03"}).id
    db.session.commit()
    assert worker.run(db.session, once=True, beat_seconds=0.2) == 1
    db.session.close()
    text = visible_text(as_user("fund").get(f"/jobs/{job_id}").get_data(as_text=True))
    assert "担保余额" in text and "基金余额" in text and "¥500,000.00" in text
    assert faults(text) == [] and "outstanding" not in text
