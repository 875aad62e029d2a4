"""A ledger entry's 摘要 in words, linked to its claim: the stored memo of a system entry is a code.

Entries the system posts (a claim's draw, a recovery, a claim's reversal) carry their claim and
loan; their stored memo ("claim <id>") stays as written and the page words it from those links.
A person's memo (a contribution's, a reversal's reason) is shown as typed.
"""

from flask import url_for
from flask_babel import gettext as _

from creditsvc.infra.extensions import db
from creditsvc.services.loans.numbers import numbers_of

SYSTEM_PREFIXES = ("claim ", "recovery ")


def summaries(entries) -> dict[str, dict]:
    """{entry id: {'text': …, 'href': … or None}} for the entries shown."""
    numbers = numbers_of(db.session, {e.loan_id for e in entries if e.loan_id})
    return {e.id: summary(e, numbers.get(e.loan_id)) for e in entries}


def summary(entry, loan_number: str | None) -> dict:
    """One entry's 摘要: what it was for and which loan, with a link to its claim."""
    memo = entry.memo or ""
    href = url_for("fund_office.claim_page", claim_id=entry.claim_id) if entry.claim_id else None
    if not entry.claim_id or not memo.startswith(SYSTEM_PREFIXES):
        return {"text": memo, "href": href}
    loan = loan_number or _("（未编号）")
    if entry.kind == "claim_draw":
        text = _("贷款 %(loan)s 的代偿", loan=loan)
    elif entry.kind == "recovery":
        text = _("贷款 %(loan)s 的追偿回收（基金分得部分）", loan=loan)
    else:
        reason = memo.split(": ", 1)[1] if ": " in memo else ""
        text = _("贷款 %(loan)s 的代偿冲正", loan=loan) + (f"：{reason}" if reason else "")
    return {"text": text, "href": href}
