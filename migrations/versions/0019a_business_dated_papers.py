"""business dates of an application's submission and a claim's filing, for the papers

Revision ID: 0019a
Revises: 0019m
Create Date: 2026-12-08 01:10:00

- applications.submitted_on: the business date the application was submitted (the 贷款推荐表's
  申请日期), set in the submission's INSERT from the date the service runs on. It was read from
  created_at, the server's clock, which is not the business date a demo or a test sets.
- claims.filed_on: the business date a bank filed its claim (the 代偿申请表's 申报日期), for the
  same reason: it was read from filed_at.

Existing rows are filled from their timestamps as a date in the county (UTC+8: Asia/Shanghai
has kept no daylight saving since 1991), as 0008r filled accepted_on.

On SQLite a column becomes NOT NULL only by rebuilding its table, and both tables are
referenced (loans name their application, ledger entries their claim). Alembic's batch rebuild
drops the table after copying it to a new name, which SQLite refuses with foreign keys on (and
the migration runs in a transaction, where they cannot be turned off). So the table is rebuilt
under its own name: copied aside, dropped, made again NOT NULL and filled back, with foreign
keys deferred to the commit, by which the rows they name are back.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0019a'
down_revision = '0019m'
branch_labels = None
depends_on = None

# (table, new date column, the timestamp it is filled from)
DATED = (("applications", "submitted_on", "created_at"), ("claims", "filed_on", "filed_at"))


def _sqlite_not_null(table: str, column: str) -> None:
    """Make TABLE.COLUMN NOT NULL on SQLite: the table rebuilt under its own name."""
    conn = op.get_bind()
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # until this transaction commits
    create = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND "
                                  "name = ?", (table,)).scalar_one()
    create, made = re.subn(rf'(\b{column}"? DATE)(,|\))', r"\1 NOT NULL\2", create)
    assert made == 1, create
    attached = conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type "
                                    "IN ('index', 'trigger') AND sql IS NOT NULL",
                                    (table,)).scalars().all()
    conn.exec_driver_sql(f"CREATE TEMP TABLE _copy_{table} AS SELECT * FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(create)
    conn.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM _copy_{table}")
    conn.exec_driver_sql(f"DROP TABLE _copy_{table}")
    for sql in attached:
        conn.exec_driver_sql(sql)


def upgrade():
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, column, stamp in DATED:
        op.add_column(table, sa.Column(column, sa.Date(), nullable=True))
        local = (f"({stamp} + interval '8 hours')::date" if postgresql
                 else f"date({stamp}, '+8 hours')")
        op.execute(f"UPDATE {table} SET {column} = {local}")
        if postgresql:
            op.alter_column(table, column, existing_type=sa.Date(), nullable=False)
        else:
            _sqlite_not_null(table, column)


def downgrade():
    for table, column, _stamp in reversed(DATED):
        op.drop_column(table, column)  # SQLite 3.35+ drops a column in place
