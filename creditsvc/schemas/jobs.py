"""Schemas of background jobs, the feed upload and its preview."""

from flask import url_for
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from creditsvc.schemas.fields import QueryNumber, WholeNumber
from models.job import JOB_STATUSES


class JobSchema(Schema):
    """A job: what, how far, and what it produced."""

    id = fields.String()
    kind = fields.String()
    status = fields.String(metadata={"enum": list(JOB_STATUSES)})
    done = fields.Integer(dump_only=True)
    total = fields.Integer(dump_only=True, allow_none=True)
    message = fields.String(allow_none=True)
    result = fields.Dict(allow_none=True, metadata={"description": "the job's summary, once done"})
    attempts = fields.Integer(dump_only=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    links = fields.Method("_links")

    def _links(self, job) -> dict:
        out = {"self": url_for("jobs.JobById", job_id=job.id)}
        if job.kind in ("status_feed", "batch_scoring"):
            out["result"] = url_for("jobs.JobResult", job_id=job.id)
        if job.kind == "survey_import":
            out["marked_copy"] = url_for("household_surveys.SurveyMarkedCopy", job_id=job.id)
            out["confirm"] = url_for("household_surveys.SurveyImportConfirm", job_id=job.id)
        return out


class JobQuerySchema(Schema):
    """Filters of the job listing."""

    kind = fields.String(validate=validate.Length(max=32))
    status = fields.String(validate=validate.OneOf(JOB_STATUSES))
    limit = QueryNumber(1, 200, load_default=50)


class FeedUploadSchema(Schema):
    """The feed file: CSV (UTF-8) or XLSX, with the template's headers."""

    file = Upload(required=True, metadata={"description": "贷款编号, 统计日期, 逾期天数"})


class BatchUploadSchema(Schema):
    """The batch: CSV (UTF-8) with the template's headers, one proposed loan a line."""

    file = Upload(required=True, metadata={
        "description": "户编号 or 身份证号, 申请金额, 期限（月）, 用途"})


class TemplateQuerySchema(Schema):
    """Which template."""

    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "csv"]))


class RowProblemSchema(Schema):
    """One row that would not be applied, and why (in Chinese and English)."""

    index = fields.Integer(dump_only=True)
    line = fields.Integer(dump_only=True)
    loan_id = fields.String()
    code = fields.String()
    message_zh = fields.String()
    message = fields.String()


class FeedPreviewSchema(Schema):
    """What applying the file would do: counts and each bad row's problem."""

    rows = fields.Integer(dump_only=True)
    would_apply = fields.Integer(dump_only=True)
    problem_count = fields.Integer(dump_only=True)
    problems = fields.List(fields.Nested(RowProblemSchema),
                           metadata={"description": "the first 1,000 problems, in file order"})


class StressJobInSchema(Schema):
    """A stress test over many paths, run as a job."""

    paths = WholeNumber(100, 10_000_000, load_default=100_000)
    seed = WholeNumber(0, 2**32 - 1, load_default=1)
    horizon = WholeNumber(1, 36, load_default=12)
