"""Migrations build the schema on both engines, and models and migrations never drift."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade
from sqlalchemy import inspect, text

from creditsvc.extensions import db
from models import Base


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
