"""Migrations build the schema on both engines, and models and migrations never drift."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from creditsvc.infra.extensions import db
from models import Base
from tests.factories import HouseholdFactory


def test_migrations_build_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_models_and_migrations_do_not_drift(app):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == [], f"models and migrations differ; run flask db migrate: {diff}"


def test_seed_rows_exist(session):
    assert session.execute(text("SELECT code FROM banks ORDER BY code")).scalars().all() == ["ABC", "PSBC"]
    assert session.execute(text("SELECT last_seq FROM audit_head")).scalar() == 0
    assert session.execute(text("SELECT balance_fen FROM fund")).scalar() == 0


def test_downgrade_to_base_and_back(app):
    directory = app.extensions["migrate"].directory
    db.session.remove()
    downgrade(directory=directory, revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    from flask_migrate import upgrade

    upgrade(directory=directory)
    assert "loans" in inspect(db.engine).get_table_names()


@pytest.mark.postgres
def test_large_hot_values_are_compressed_with_lz4(app, client, officer):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("CREDITSVC_TEST_DB=postgresql runs it: SQLite does not compress values")
    methods = db.session.execute(text(
        "SELECT attrelid::regclass::text || '.' || attname, attcompression FROM pg_attribute "
        "WHERE (attrelid, attname) IN (('applications'::regclass, 'assessment'), "
        "('idempotency_records'::regclass, 'response_body'))")).all()
    assert sorted(methods) == [("applications.assessment", "l"),
                               ("idempotency_records.response_body", "l")]
    household = client.post("/api/v1/households", json=HouseholdFactory(), headers=officer)
    made = client.post("/api/v1/applications", headers={**officer, "Idempotency-Key": "lz4-00001"},
                       json={"household_id": household.get_json()["id"], "amount": "20000.00",
                             "term_months": 12, "purpose": "planting", "bank": "PSBC"})
    assert made.status_code == 201
    stored = db.session.execute(text(
        "SELECT pg_column_compression(a.assessment), pg_column_compression(i.response_body) "
        "FROM applications a, idempotency_records i")).one()
    assert tuple(stored) == ("lz4", "lz4")  # both large enough to be compressed, with lz4
