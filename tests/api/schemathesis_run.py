"""Schemathesis in process against the app's own OpenAPI: configuration, seeded objects, run.

Every phase (examples, coverage, fuzzing, stateful) with the four checks the API promises:
no 5xx, only declared status codes, the declared content type, and bodies that match the
declared schemas. Fixed seed, deterministic generation, bounded examples.
"""

import contextvars
import io

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

from creditsvc.infra.extensions import db
from tests.api import object_makers
from tests.factories import HouseholdFactory, id_number
from tests.today import TODAY

SEED = 20261128
MAX_EXAMPLES = 30
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_schema_conformance")
PHASES = ("examples", "coverage", "fuzzing", "stateful")


def config_for(headers: dict, path_ids: dict) -> SchemathesisConfig:
    """The run's configuration: one role's key, the seeded objects' ids in every path."""
    return SchemathesisConfig.from_dict({
        "seed": SEED,
        # No state carried between runs (learned inputs, Hypothesis' example database): the
        # same code gives the same run.
        "cache": {"enabled": False},
        "headers": headers,
        "parameters": {f"path.{name}": value for name, value in path_ids.items()},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
        "phases": {**{name: {"enabled": True} for name in PHASES},
                   # Operations without an example in the OpenAPI get generated ones: none skipped.
                   "examples": {"enabled": True, "fill-missing": True},
                   "stateful": {"enabled": True, "max-steps": 10}},
        "workers": 1,
    })


def _held_survey(client, officer) -> str:
    """A survey file uploaded and held (the officer has no area: it has a problem, so a
    confirm is refused and nothing is ever written)."""
    body = ("乡镇,村,户主姓名,身份证号,家庭人口,户类型/监测类别,贷款意愿\n"
            f"渔湖镇,东湖村,陈大明,{id_number()},1,建档立卡贫困户,是\n").encode()
    held = client.post("/api/v1/household-surveys/imports", headers=officer,
                       content_type="multipart/form-data",
                       data={"file": (io.BytesIO(body), "survey.csv")})
    assert held.status_code == 201, held.get_json()
    return held.get_json()["job"]["id"]


def seed_objects(client, keys) -> dict:
    """A household file, an approved application, an active loan, a filed claim, an entry."""
    officer = keys.headers("officer")
    household = client.post("/api/v1/households", json=HouseholdFactory(), headers=officer)
    assert household.status_code == 201, household.get_json()
    fund = keys.headers("fund_manager")
    entry = client.post("/api/v1/fund/contributions", headers={**fund, "Idempotency-Key": "seed-0001"},
                        json={"amount": "500000.00", "date": TODAY.isoformat()})
    assert entry.status_code == 201, entry.get_json()
    ids = {
        "household_id": household.get_json()["id"],
        "application_id": object_makers.make_application(client, keys, "PSBC"),
        "loan_id": object_makers.make_loan(client, keys, "PSBC"),
        "claim_id": object_makers.MAKERS["claim_id"](client, keys, "PSBC"),
        "report_id": object_makers.MAKERS["report_id"](client, keys, "PSBC"),
        "entry_id": entry.get_json()["id"],
        "job_id": _held_survey(client, officer),
        "version": 1,
        "campaign_id": _campaign(client, keys, household.get_json()["id"]),
        "objection_id": "0b6f3c1e-5d2a-4c8e-9f00-000000000001",
        "statement_id": object_makers.MAKERS["statement_id"](client, keys, "PSBC"),
    }
    db.session.rollback()
    return ids


def _campaign(client, keys, household_id: str) -> str:
    """An open campaign of the officer's village, listing the seeded household."""
    from sqlalchemy import select

    from creditsvc.services.access import areas
    from creditsvc.services.platform.uow import UnitOfWork
    from models import HouseholdSurvey, User
    from tests.conftest import ACTOR

    with UnitOfWork(db.session) as uow:
        officer = uow.session.execute(select(User).where(User.name == "officer-x")).scalar_one()
        areas.assign(uow.session, ACTOR, officer.id, [areas.Area.parse("渔湖镇")])
        uow.session.add(HouseholdSurvey(household_id=household_id, willing=True,
                                        intended_amount_fen=2_000_000, purpose="planting",
                                        term_months=12))
        uow.commit()
    made = client.post("/api/v1/campaigns", json={"town": "渔湖镇", "village": "东湖村"},
                       headers=keys.headers("officer"))
    assert made.status_code == 201, made.get_json()
    return made.get_json()["id"]


def run(app, headers: dict, path_ids: dict) -> tuple[list[str], int]:
    """Run every phase; return the failures and errors found (as text) and the scenarios run."""
    db.session.rollback()  # on SQLite an open transaction would hold the write lock
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _each_request_alone(app),
                                            config=config_for(headers, path_ids))
    problems, scenarios = [], 0
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            scenarios += 1
            if event.skip_reason:
                problems.append(f"skipped {event.recorder.label}: {event.skip_reason}")
            problems.extend(_failures(event.recorder))
        elif isinstance(event, events.NonFatalError):
            problems.append(f"error in {event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            problems.append(f"fatal: {event.exception!r}")
    return sorted(set(problems)), scenarios


def _each_request_alone(app):
    """The app as a server runs it: each request in its own app context and database session.

    The test's app context is left out (an empty context), so that a request cannot see or
    hold another's session, as in production.
    """

    def wsgi(environ, start_response):
        return contextvars.Context().run(app, environ, start_response)

    return wsgi


def _failures(recorder) -> list[str]:
    """Each failed check of a scenario: the check, the operation, and the request to replay it."""
    out = []
    for checks in recorder.checks.values():
        for check in checks:
            if check.failure_info is not None:
                failure = check.failure_info.failure
                out.append(f"{check.name} {failure.operation}: {failure.title}: "
                           f"{failure.message[:300]}\n{check.failure_info.code_sample[:600]}")
    return out
