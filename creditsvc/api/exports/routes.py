"""Exports: /api/v1/exports/{list}, each list as filtered (the list's own query filters), as xlsx.

A small export answers 200 with the file; one over EXPORT_JOB_ROWS rows answers 202 with a job
to poll, whose result is the file (its owner's alone). `reveal_reason` reveals the personal
data for this export (officers only; audited with the row count and the file's SHA-256).
"""

from datetime import date

from flask import current_app
from flask.views import MethodView
from marshmallow import Schema

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.uploads import accepted
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.schemas.applications import ApplicationQuerySchema
from creditsvc.schemas.claims import ClaimQuerySchema
from creditsvc.schemas.exports import LedgerExportQuerySchema, RevealQuerySchema
from creditsvc.schemas.households import HouseholdQuerySchema
from creditsvc.schemas.jobs import JobSchema
from creditsvc.schemas.lists import CreditRatingQuerySchema, UnborrowedQuerySchema
from creditsvc.schemas.loans import LoanQuerySchema
from creditsvc.services.exports import run
from creditsvc.services.platform.uow import UnitOfWork

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports",
                description="Exports: every list as filtered, as xlsx (a large one as a job)")
FILE = {"200": {"description": "the xlsx file",
                "content": {run.XLSX: {"schema": {"type": "string", "format": "binary"}}}}}


def _export(name: str, query: dict):
    """The file at once, or the job that writes it (202); a reveal is audited."""
    reason = query.pop("reveal_reason", None)
    query = {k: v.isoformat() if isinstance(v, date) else v for k, v in query.items()}
    actor, today = current_principal(), clock.today()
    limit = int(current_app.config.get("EXPORT_JOB_ROWS", run.JOB_ROWS))
    with UnitOfWork(db.session) as uow:
        rows = run.count_rows(uow.session, actor, name, query, today=today)
        if rows > limit:
            job = run.submit_export(uow.session, actor, name, query, rows=rows, locale="zh_CN",
                                    reason=reason)
            uow.commit()
            return accepted(job)
        made = run.write_export(uow.session, actor, name, query, today=today, reason=reason,
                                cipher=current_app.extensions["creditsvc.core.pii"] if reason else None)
        uow.commit()
    return attachment(made.body, run.XLSX, made.filename)


def _with_reveal(schema: type[Schema]) -> Schema:
    return type(f"{schema.__name__.removesuffix('Schema')}ExportSchema", (schema, RevealQuerySchema),
                {"__doc__": f"{schema.__doc__.strip()} And the reveal's reason."})()


@blp.route("/loans")
class LoansExport(MethodView):
    @roles("officer", "bank", "fund_manager")
    @blp.arguments(_with_reveal(LoanQuerySchema), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """The loans as filtered, as xlsx (a bank: its own)."""
        return _export("loans", query)


@blp.route("/households")
class HouseholdsExport(MethodView):
    @roles("officer", "fund_manager")
    @blp.arguments(_with_reveal(HouseholdQuerySchema), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """The household files as filtered, as xlsx."""
        return _export("households", query)


@blp.route("/loans-coming-due")
class ComingDueExport(MethodView):
    @roles("officer", "bank")
    @blp.arguments(RevealQuerySchema(), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """Loans with an unpaid instalment due in the next 30 days (an officer: the area's)."""
        return _export("coming_due", query)


@blp.route("/loans-fallen-due")
class FallenDueExport(MethodView):
    @roles("officer", "bank")
    @blp.arguments(RevealQuerySchema(), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """Loans with an instalment fallen due in the last 30 days and unpaid."""
        return _export("fallen_due", query)


@blp.route("/credit-ratings")
class CreditRatingsExport(MethodView):
    @roles("officer")
    @blp.arguments(_with_reveal(CreditRatingQuerySchema), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """信用评级 of my area as filtered, as xlsx."""
        return _export("credit_ratings", query)


@blp.route("/unborrowed")
class UnborrowedExport(MethodView):
    @roles("officer")
    @blp.arguments(_with_reveal(UnborrowedQuerySchema), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """应贷未贷 of my area as filtered, as xlsx."""
        return _export("unborrowed", query)


@blp.route("/applications")
class ApplicationsExport(MethodView):
    @roles("officer", "bank", "fund_manager")
    @blp.arguments(_with_reveal(ApplicationQuerySchema), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """The applications as filtered, as xlsx (a bank: its own), newest first."""
        return _export("applications", query)


@blp.route("/claims")
class ClaimsExport(MethodView):
    @roles("bank", "fund_manager")
    @blp.arguments(ClaimQuerySchema(), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """The claims as filtered, as xlsx (a bank: its own), newest first."""
        return _export("claims", query)


@blp.route("/fund-exposure")
class ExposureExport(MethodView):
    @roles("fund_manager")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self):
        """The guaranteed book's breakdown (by bank, town, village, grade, purpose, class)."""
        return _export("exposure", {})


@blp.route("/fund-ledger")
class LedgerExport(MethodView):
    @roles("fund_manager")
    @blp.arguments(LedgerExportQuerySchema(), location="query")
    @blp.doc(responses=FILE)
    @blp.response(202, JobSchema)
    def get(self, query):
        """The fund's ledger as filtered, as xlsx, newest first."""
        return _export("ledger", query)
