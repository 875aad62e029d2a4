"""Background jobs: /api/v1/jobs, the bank feed as a file, and the stress test as a job.

Long work answers 202 with a `Location` to poll (`GET /api/v1/jobs/{id}`); a finished
feed's per-row results download from `/api/v1/jobs/{id}/result`. A job is seen only by the
roles that may read what it holds (services/platform/jobs.py: READERS), a bank's job by its
own bank only; any other job is 404.
"""

from flask.views import MethodView

from creditsvc.api.auth import current_principal, roles
from creditsvc.api.blueprint import Blueprint
from creditsvc.api.body import accepts_files, body_limit
from creditsvc.api.uploads import accepted, idempotent_if_keyed
from creditsvc.api.writes import transactional
from creditsvc.infra import clock
from creditsvc.infra.downloads import attachment
from creditsvc.infra.extensions import db
from creditsvc.infra.uploads import read_upload
from creditsvc.jobs.kinds import STATUS_FEED, STRESS
from creditsvc.schemas.jobs import (
    FeedPreviewSchema,
    FeedUploadSchema,
    JobQuerySchema,
    JobSchema,
    StressJobInSchema,
    TemplateQuerySchema,
)
from creditsvc.services.feed import files as feed_files
from creditsvc.services.feed import preview as feed_preview
from creditsvc.services.platform import jobs
from creditsvc.services.platform.uow import UnitOfWork

blp = Blueprint("jobs", __name__, url_prefix="/api/v1",
                description="Background jobs: the bank feed at scale, stress tests")
MAX_FEED_BYTES = 256 * 1024 * 1024
ALL = ("officer", "fund_manager", "bank", "admin")
# The roles that see some kind of job; which jobs each sees is the service's (jobs.READERS).
READERS = tuple(sorted(frozenset().union(*jobs.READERS.values())))


def _feed_file(data) -> tuple[str, str, bytes]:
    name, body = read_upload(data["file"], (".csv", ".xlsx"), MAX_FEED_BYTES, default="feed.csv",
                             code="feed_file_invalid")
    kind = feed_files.XLSX_TYPE if name.lower().endswith(".xlsx") else feed_files.CSV_TYPE
    return name, kind, body


# The files a job or the template answers with, as the OpenAPI declares them.
FILE_CONTENT = {kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in (feed_files.CSV_TYPE, feed_files.XLSX_TYPE)}


@blp.route("/jobs")
class Jobs(MethodView):
    @roles(*READERS)
    @blp.arguments(JobQuerySchema(), location="query")
    @blp.response(200, JobSchema(many=True))
    def get(self, query):
        """List the latest jobs the caller may see (a bank: its own bank's)."""
        return jobs.list_jobs(db.session, current_principal(), **query)


@blp.route("/jobs/<job_id>")
class JobById(MethodView):
    @roles(*READERS)
    @blp.response(200, JobSchema)
    def get(self, job_id):
        """Show a job's status and progress (poll this after a 202)."""
        return jobs.get_job(db.session, current_principal(), job_id)


@blp.route("/jobs/<job_id>/result")
class JobResult(MethodView):
    @roles(*READERS)
    @blp.alt_response(409, description="job_not_done")
    @blp.doc(responses={"200": {"description": "the result file", "content": FILE_CONTENT}})
    def get(self, job_id):
        """Download a finished job's result file (the feed: one CSV line per row)."""
        row, body = jobs.result_file(db.session, current_principal(), job_id)
        return attachment(body, row.content_type, row.filename)


@blp.route("/loan-status-reports/jobs")
class FeedJobs(MethodView):
    @roles("bank")
    @accepts_files
    @body_limit(MAX_FEED_BYTES)
    @idempotent_if_keyed
    @blp.arguments(FeedUploadSchema(), location="files")
    @blp.response(202, JobSchema)
    def post(self, data):
        """Upload the bank's days-past-due feed (CSV or XLSX, any size) to run as a job.

        The rows are applied set-based with the same rules as `/loan-status-reports`; the
        job's result is the per-row results file. With an Idempotency-Key, a retried upload
        of the same file answers with the first job instead of queueing a second.
        """
        name, kind, body = _feed_file(data)
        return accepted(jobs.submit(db.session, current_principal(), STATUS_FEED,
                                     {"filename": name}, files=((name, kind, body),)))


@blp.route("/loan-status-reports/preview")
class FeedPreview(MethodView):
    @roles("bank")
    @accepts_files
    @body_limit(MAX_FEED_BYTES)
    @blp.arguments(FeedUploadSchema(), location="files")
    @blp.response(200, FeedPreviewSchema)
    def post(self, data):
        """Check a feed file without applying it: each bad row's problem, in Chinese."""
        name, _, body = _feed_file(data)
        try:
            return feed_preview.preview(db.session, current_principal(), body, name,
                                        today=clock.today())
        finally:
            UnitOfWork(db.session).rollback()


@blp.route("/loan-status-reports/template")
class FeedTemplate(MethodView):
    @roles(*ALL)
    @blp.arguments(TemplateQuerySchema(), location="query")
    @blp.doc(responses={"200": {"description": "the template file", "content": FILE_CONTENT}})
    def get(self, query):
        """The feed's template with its Chinese headers (XLSX, or CSV in UTF-8)."""
        return attachment(*feed_files.template(query["format"]))


@blp.route("/fund/stress-jobs")
class StressJobs(MethodView):
    @roles("fund_manager")
    @transactional
    @blp.arguments(StressJobInSchema())
    @blp.response(202, JobSchema)
    def post(self, data):
        """Run the stress test over many paths as a job."""
        return accepted(jobs.submit(db.session, current_principal(), STRESS, data))
