"""The kinds of job: the bank's feed from a file, the stress test, the monthly snapshot, batch
scoring, the rating of a village campaign's list, the survey import and a large export."""

import hashlib
from collections import Counter

from flask import current_app
from flask_babel import force_locale

from creditsvc.jobs.registry import JobContext, kind
from creditsvc.services.assessment import batch as batch_scoring
from creditsvc.services.assessment.rating import rate_households
from creditsvc.services.campaign import rate as campaign_rating
from creditsvc.services.exports import run as exports
from creditsvc.services.feed import apply as feed_apply
from creditsvc.services.feed import files as feed_files
from creditsvc.services.fund import reports as fund_reports
from creditsvc.services.fund import snapshots
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.platform import audit
from creditsvc.services.survey import imports as survey_imports

STATUS_FEED, STRESS = "status_feed", "stress"
MONTHLY_SNAPSHOT, BATCH_SCORING = "monthly_snapshot", "batch_scoring"
CAMPAIGN_RATING = campaign_rating.KIND


def _done(ctx: JobContext, action: str, rows: int, summary: dict) -> dict:
    """Audit a file job's SUMMARY as ACTION and report all ROWS done; the job's result."""
    audit.record(ctx.session, ctx.actor, action, target_type="job", target_id=ctx.job_id,
                 detail=summary)
    ctx.progress(rows, rows, "done")
    return summary


@kind(STATUS_FEED)
def status_feed(ctx: JobContext) -> dict:
    """Read the uploaded feed, apply its readable rows set-based, keep the per-row results.

    One audit event for the feed, with its counts and the SHA-256 of the results file (a
    million per-row events would be most of the work); each applied row leaves its status
    report, and the results file is kept with the job for download.
    """
    filename, data = ctx.input_file()
    rows = feed_files.read_rows(data, filename)
    ctx.progress(0, len(rows), "file read")
    good = [r for r in rows if r.problem is None]
    results = feed_apply.apply_feed(
        ctx.session, ctx.actor, [(r.loan_id, r.as_of, r.days_past_due) for r in good],
        today=ctx.today, progress=lambda done, total, msg: ctx.progress(done, len(rows), msg))
    applied = {r.index: (results.ok[i], results.classification[i], results.days_past_due[i],
                         results.code[i], results.params[i]) for i, r in enumerate(good)}
    body = feed_files.results_csv(rows, applied)
    ctx.write_result("feed-results.csv", feed_files.CSV_TYPE, body)
    codes = Counter(r.problem for r in rows if r.problem)
    codes.update(c for c in results.code if c)
    summary = {"rows": len(rows), "accepted": results.accepted,
               "rejected": len(rows) - results.accepted, "by_code": dict(sorted(codes.items())),
               "loans_updated": results.loans_updated, "npl_delta_fen": results.npl_delta_fen,
               "results_sha256": hashlib.sha256(body).hexdigest(), "filename": filename}
    return _done(ctx, "loan.status_feed", len(rows), summary)


@kind(STRESS)
def stress(ctx: JobContext) -> dict:
    """The fund's Monte Carlo stress test over many paths (the same as GET /fund/stress)."""
    args = ctx.args
    ctx.progress(0, 1, "simulating")
    result = fund_reports.run_stress(ctx.session, rules_for(ctx.session), paths=args["paths"],
                                     seed=args["seed"], horizon=args.get("horizon", 12))
    ctx.progress(1, 1, "done")
    # JSON, not numpy scalars: .item() gives the plain Python number.
    values = {name: getattr(result, name) for name in result.__dataclass_fields__}
    return {name: v.item() if hasattr(v, "item") else v for name, v in values.items()}


@kind(MONTHLY_SNAPSHOT)
def monthly_snapshot(ctx: JobContext) -> dict:
    """Take the month's portfolio snapshot (its row is replaced if the month was taken before)."""
    ctx.progress(0, 1, "taking the snapshot")
    row = snapshots.take(ctx.session, ctx.actor, ctx.args["month"], today=ctx.today)
    ctx.progress(1, 1, "done")
    return {"month": row.month, "as_of": row.as_of.isoformat(),
            **{name: getattr(row, name) for name in snapshots.FIGURES}}


@kind(BATCH_SCORING)
def batch_score(ctx: JobContext) -> dict:
    """Assess each row of an uploaded batch as the preview does; keep the results CSV.

    Nothing is saved but the results file and one audit event with the counts and the
    file's SHA-256: no application is made.
    """
    _, data = ctx.input_file()
    rows = batch_scoring.decode(data)
    ctx.progress(0, len(rows), "scoring")
    results = batch_scoring.score(ctx.session, rows, on=ctx.today, progress=ctx.progress)
    body, counts = batch_scoring.results_csv(rows, results)
    ctx.write_result("batch-results.csv", feed_files.CSV_TYPE, body)
    summary = {"rows": len(rows), "by_outcome": counts, "on": ctx.today.isoformat(),
               "results_sha256": hashlib.sha256(body).hexdigest(),
               "filename": ctx.args.get("filename")}
    return _done(ctx, "assessment.batch", len(rows), summary)


@kind(CAMPAIGN_RATING)
def campaign_rate(ctx: JobContext) -> dict:
    """Rate every household on a campaign's list (set-based) and move the campaign to rated.

    The ratings, the entries and the campaign's step commit with the job, or none of them.
    """
    return campaign_rating.rate_campaign(ctx.session, ctx.actor, ctx.args["campaign_id"],
                                         today=ctx.today, rate=rate_households,
                                         progress=ctx.progress)


@kind(survey_imports.SURVEY_IMPORT)
def survey_import(ctx: JobContext) -> dict:
    """Import a confirmed survey file whole (or fail with nothing written), set-based.

    Each changed household's change record is its own event; the import itself is one event
    with its counts and the file's SHA-256, which every survey sheet written also carries.
    """
    filename, sealed = ctx.input_file()
    cipher = current_app.extensions["creditsvc.core.pii"]
    summary = survey_imports.run(ctx.session, ctx.actor, cipher, cipher.decrypt_bytes(sealed),
                                 filename, today=ctx.today, progress=ctx.progress)
    return _done(ctx, "household.survey_import", summary["rows"], summary)


@kind(exports.EXPORT)
def export(ctx: JobContext) -> dict:
    """Write a large export (a list as filtered) to xlsx in its owner's language; keep the file.

    A revealed export is audited with its row count and the file's SHA-256 (exports.run).
    """
    args = ctx.args
    ctx.progress(0, None, "started")
    reveal = args.get("reason")
    with force_locale(args.get("locale") or "zh_CN"):
        made = exports.write_export(
            ctx.session, ctx.actor, args["list"], args["filters"], today=ctx.today, reason=reveal,
            cipher=current_app.extensions["creditsvc.core.pii"] if reveal else None,
            progress=ctx.progress, total=args.get("rows"))
    ctx.write_result(made.filename, exports.XLSX, made.body)
    ctx.progress(made.rows, made.rows, "done")
    return {"rows": made.rows, "sha256": made.sha256, "filename": made.filename}
