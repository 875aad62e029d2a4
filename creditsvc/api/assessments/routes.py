"""Assessment preview: /api/v1/assessments/preview, and batches of them as a job."""

from flask import current_app
from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.body import accepts_files, body_limit
from creditsvc.api.uploads import accepted, idempotent_if_keyed
from creditsvc.infra import clock
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.jobs.kinds import BATCH_SCORING
from creditsvc.schemas.assessments import PreviewInSchema, PreviewSchema
from creditsvc.schemas.jobs import BatchUploadSchema, JobSchema
from creditsvc.services.assessment import batch as batch_scoring
from creditsvc.services.loans import applications as svc
from creditsvc.services.platform import jobs

blp = Blueprint("assessments", __name__, url_prefix="/api/v1/assessments",
                description="Credit assessment without an application")
PREVIEW_IN = PreviewInSchema()
MAX_BATCH_BYTES = 16 * 1024 * 1024


@blp.route("/preview")
class Preview(MethodView):
    @roles("officer")
    @blp.arguments(PREVIEW_IN)
    @blp.response(200, PreviewSchema)
    def post(self, data):
        """Assess a proposed application with the active policy and model; nothing is saved."""
        result = svc.preview(db.session, **data, on=clock.today())
        return {**{k: result[k] for k in ("decision", "grade", "score", "pd", "limit",
                                           "approved_amount", "policy_version", "model_sha256")},
                "assessment": result}


@blp.route("/batch-jobs")
class BatchJobs(MethodView):
    @roles("officer")
    @accepts_files
    @body_limit(MAX_BATCH_BYTES)
    @idempotent_if_keyed
    @blp.arguments(BatchUploadSchema(), location="files")
    @blp.response(202, JobSchema)
    def post(self, data):
        """Score a CSV of proposed loans as a job, each row as the preview would; nothing is saved.

        Rows name a household by its file's id (户编号) or its head's ID number (身份证号, found
        through its keyed hash and never kept in clear), with 申请金额, 期限（月） and 用途. The
        job's result is a CSV with each row's decision, grade, score, PD, limit and reasons, or
        its problem. With an Idempotency-Key, a retried upload answers with the first job.
        """
        name, body = read_upload(data["file"], (".csv",), MAX_BATCH_BYTES, default="batch.csv",
                                 code="batch_file_invalid")
        rows = batch_scoring.read_upload(db.session, body,
                                         current_app.extensions["creditsvc.core.pii"],
                                         PREVIEW_IN.validate)
        job = jobs.submit(db.session, current_principal(), BATCH_SCORING,
                          {"filename": name, "rows": len(rows)}, total=len(rows),
                          files=((f"{name[:190]}.json", "application/json", batch_scoring.encode(rows)),))
        return accepted(job)
