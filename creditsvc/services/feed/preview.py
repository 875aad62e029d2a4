"""The feed's preview: what applying a file would do, each bad row's problem in Chinese."""

from datetime import date

from sqlalchemy.orm import Session

from creditsvc.core.principal import Principal
from creditsvc.services.feed import apply as feed_apply
from creditsvc.services.feed import files as feed_files

MAX_PROBLEMS = 1_000


def preview(session: Session, actor: Principal, data: bytes, filename: str, *, today: date) -> dict:
    """Read the file and judge its rows as the job would, writing and locking nothing."""
    rows = feed_files.read_rows(data, filename)
    good = [r for r in rows if r.problem is None]
    results = feed_apply.apply_feed(session, actor,
                                    [(r.loan_id, r.as_of, r.days_past_due) for r in good],
                                    today=today, write=False)
    refused = {r.index: (results.code[i], results.params[i]) for i, r in enumerate(good)}
    problems = []
    for row in rows:
        code, params = (row.problem, None) if row.problem else refused.get(row.index, (None, None))
        if code:
            problems.append({"index": row.index, "line": row.line, "loan_id": row.loan_id,
                             "code": code, "message_zh": feed_files.problem_zh(code, params),
                             "message": feed_files.problem_en(code, params)})
    return {"rows": len(rows), "would_apply": results.accepted, "problem_count": len(problems),
            "problems": problems[:MAX_PROBLEMS]}
