"""Schemas of the survey import: the upload, its preview with each problem, the held job."""

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from creditsvc.schemas.jobs import JobSchema


class SurveyUploadSchema(Schema):
    """The survey file: XLSX (the template's sheets) or CSV (UTF-8 or GBK)."""

    file = Upload(required=True, metadata={
        "description": "乡镇, 村, 组, 户主姓名, 身份证号, ... (headers by name; see the template)"})


class SurveyProblemSchema(Schema):
    """One cell's problem: its sheet, row and column, in Chinese and English."""

    sheet = fields.String()
    row = fields.Integer(dump_only=True)
    column = fields.String()
    code = fields.String()
    message_zh = fields.String()
    message = fields.String()


class SurveyPreviewSchema(Schema):
    """What importing the file would do, and every problem (the first 1,000 listed)."""

    sha256 = fields.String()
    rows = fields.Integer(dump_only=True)
    member_rows = fields.Integer(dump_only=True)
    new = fields.Integer(dump_only=True)
    changed = fields.Integer(dump_only=True)
    unchanged = fields.Integer(dump_only=True)
    problem_count = fields.Integer(dump_only=True)
    by_code = fields.Dict(keys=fields.String(), values=fields.Integer(dump_only=True))
    importable = fields.Boolean(metadata={"description": "no problem: the file may be confirmed"})
    problems = fields.List(fields.Nested(SurveyProblemSchema))


class SurveyHeldSchema(Schema):
    """The uploaded file's preview and the held job that keeps it until confirmed."""

    preview = fields.Nested(SurveyPreviewSchema)
    job = fields.Nested(JobSchema)
