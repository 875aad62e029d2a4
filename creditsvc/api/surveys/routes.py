"""The survey import: /api/v1/household-surveys (template, upload with preview, confirm, status).

An upload is checked at once and answered with its preview (each problem by sheet, row and
column) and a held job that keeps the file; nothing is written. Confirming a file without
problems releases the job, which imports it whole or not at all; poll the job for its
progress. The marked copy is the uploaded workbook with a column of problems, to fix and
upload again. Officers only, and only into their own area.
"""

from flask import current_app
from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.body import accepts_files, body_limit
from creditsvc.api.uploads import accepted
from creditsvc.api.writes import transactional
from creditsvc.core.errors import NotFound
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.schemas.jobs import JobSchema, TemplateQuerySchema
from creditsvc.schemas.surveys import SurveyHeldSchema, SurveyUploadSchema
from creditsvc.services.platform import jobs
from creditsvc.services.platform.uow import UnitOfWork
from creditsvc.services.survey import imports, sheet

blp = Blueprint("household_surveys", __name__, url_prefix="/api/v1/household-surveys",
                description="Household surveys imported from spreadsheets (调查导入)")
FILES = {kind: {"schema": {"type": "string", "format": "binary"}}
         for kind in (imports.CSV_TYPE, imports.XLSX_TYPE)}


def _cipher():
    return current_app.extensions["creditsvc.core.pii"]


@blp.route("/template")
class SurveyTemplate(MethodView):
    @roles("officer")
    @blp.arguments(TemplateQuerySchema(), location="query")
    @blp.doc(responses={"200": {"description": "the template file", "content": FILES}})
    def get(self, query):
        """The survey template: XLSX with drop-downs, a members sheet and instructions, or CSV."""
        try:
            return attachment(*imports.template(db.session, current_principal(), query["format"]))
        finally:
            UnitOfWork(db.session).rollback()


@blp.route("/imports")
class SurveyImports(MethodView):
    @roles("officer")
    @accepts_files
    @body_limit(sheet.MAX_BYTES)
    @transactional
    @blp.arguments(SurveyUploadSchema(), location="files")
    @blp.response(201, SurveyHeldSchema)
    def post(self, data):
        """Upload a survey file: its preview, and a held job that keeps it until confirmed."""
        name, body = read_upload(data["file"], (".xlsx", ".xlsm", ".csv"), sheet.MAX_BYTES,
                                 default="survey.xlsx", code="survey_file_invalid")
        preview, job = imports.hold(db.session, current_principal(), _cipher(), body, name,
                                    today=clock.today())
        return {"preview": preview, "job": job}


@blp.route("/imports/<job_id>")
class SurveyImport(MethodView):
    @roles("officer")
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """An import's status and progress; once done, its counts."""
        job = jobs.get_job(db.session, current_principal(), job_id)
        if job.kind != imports.SURVEY_IMPORT:
            raise NotFound("job_not_found")
        return job


@blp.route("/imports/<job_id>/confirm")
class SurveyImportConfirm(MethodView):
    @roles("officer")
    @transactional
    @blp.alt_response(409, description="job_not_held")
    @blp.alt_response(422, description="survey_has_errors")
    @blp.response(202, JobSchema)
    def post(self, job_id):
        """Confirm an uploaded file without problems: the import runs as a job (all or nothing)."""
        return accepted(imports.confirm(db.session, current_principal(), job_id))


@blp.route("/imports/<job_id>/marked-copy")
class SurveyMarkedCopy(MethodView):
    @roles("officer")
    @blp.doc(responses={"200": {"description": "the file with its problems marked",
                                "content": FILES}})
    def get(self, job_id):
        """The uploaded file with a column 问题说明 on each bad row, to fix and upload again."""
        try:
            return attachment(*imports.marked_file(db.session, current_principal(), _cipher(),
                                                   job_id, today=clock.today()))
        finally:
            UnitOfWork(db.session).rollback()
