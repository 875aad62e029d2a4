"""压力测试, the stress test: losses over many paths against the fund's balance.

Up to PAGE_PATHS paths run while the page waits (the same service as GET /fund/stress); more
paths run as a background job (POST /api/v1/fund/stress-jobs), whose result the API keeps.
"""

import json

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import Schema

from creditsvc.core.money import from_fen
from creditsvc.infra.extensions import db
from creditsvc.jobs.kinds import STRESS
from creditsvc.pages.access import actor, page_roles
from creditsvc.pages.fund.overview import bp
from creditsvc.pages.once import act_once, new_token
from creditsvc.pages.validation import form_to_data, load_form
from creditsvc.schemas.fields import QueryNumber
from creditsvc.services.fund import reports as fund_reports
from creditsvc.services.fund.rules import rules_for
from creditsvc.services.platform import jobs

PAGE_PATHS = 20_000
JOB_PATHS = 200_000


class StressFormSchema(Schema):
    """How many paths, which seed, how many months."""

    paths = QueryNumber(100, PAGE_PATHS, load_default=5_000)
    seed = QueryNumber(0, 2**32 - 1, load_default=1)
    horizon = QueryNumber(1, 36, load_default=12)


def histogram_chart(result, label: str) -> str:
    """The claims histogram's data attribute: bins in yuan, paths per bin, the balance line."""
    return json.dumps({"kind": "histogram", "label": label,
                       "bins": [float(from_fen(edge)) for edge, _ in result.histogram],
                       "counts": [n for _, n in result.histogram],
                       "balance": float(from_fen(result.balance_fen))}, ensure_ascii=False)


@bp.get("/stress")
@page_roles("fund_manager")
def stress():
    """Run the stress test with the parameters in the query (defaults: 5,000 paths, 12 months)."""
    params, errors = load_form(StressFormSchema(), form_to_data(request.args))
    result = chart = None
    if params is not None and request.args:
        result = fund_reports.run_stress(db.session, rules_for(db.session),
                                         paths=params["paths"], seed=params["seed"],
                                         horizon=params["horizon"])
        chart = histogram_chart(result, _("路径数"))
    shown = {**StressFormSchema().load({}), **{k: v for k, v in request.args.items()}}
    return render_template("fund/stress.html", result=result, chart=chart, errors=errors,
                           params=shown, page_paths=PAGE_PATHS, job_paths=JOB_PATHS,
                           token=new_token()), 422 if errors else 200


class StressJobSchema(StressFormSchema):
    """A stress test run by a worker: up to the API's 200,000 paths."""

    paths = QueryNumber(100, JOB_PATHS, load_default=50_000)


@bp.post("/stress/job")
@page_roles("fund_manager")
def stress_job():
    """Queue a stress test with more paths than a page waits for; its page shows progress."""
    params, errors = load_form(StressJobSchema(), form_to_data(request.form))
    if errors:
        shown = {**StressFormSchema().load({}), **form_to_data(request.form)}
        return render_template("fund/stress.html", result=None, chart=None, errors=errors,
                               params=shown, page_paths=PAGE_PATHS, job_paths=JOB_PATHS,
                               token=new_token()), 422

    def work(session) -> str:
        job = jobs.submit(session, actor(), STRESS, params)
        return url_for("job_pages.show", job_id=job.id)

    location, _replayed = act_once(request.path, request.form.get("form_token"), params, work)
    return redirect(location)
