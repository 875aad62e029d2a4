"""subsidy: the quarterly statements per bank, their lines, the bureau's payments; the day a
loan's subsidy stopped; the contract interest of each repayment

Revision ID: 0018s
Revises: 0017p
Create Date: 2026-12-07 22:30:00

The subsidy is share x the contract interest a bank collected, paid before the day the subsidy
stopped. Two facts were missing: the day (loans.subsidy_cancelled_on) and which part of a
repayment's interest paid the schedule's instalments (repayments.contract_interest_fen; the
rest is interest on overdue principal). Existing rows are filled from what is on record: a
repayment's contract part by replaying the loan's repayments over its schedule's interest,
earliest first, as servicing allocates; an overdue loan's stop day from its first standing
report past due, a diverted loan's from the diversion's audit event (the earlier of the two).
Loans get a plain ADD COLUMN (no batch copy), so their exposure triggers stay in place.
"""
import json
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0018s'
down_revision = '0017p'
branch_labels = None
depends_on = None


def _day(value):
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value)[:10])


def _fill_contract_interest(conn):
    owed: dict[str, int] = {}
    for loan_id, interest in conn.execute(sa.text(
            "SELECT loan_id, sum(interest_fen) FROM schedule_items GROUP BY loan_id")):
        owed[loan_id] = int(interest or 0)
    rows = conn.execute(sa.text(
        "SELECT id, loan_id, interest_fen FROM repayments ORDER BY loan_id, paid_on, recorded_at"))
    for rep_id, loan_id, interest in rows.all():
        part = min(int(interest), owed.get(loan_id, 0))
        owed[loan_id] = owed.get(loan_id, 0) - part
        conn.execute(sa.text("UPDATE repayments SET contract_interest_fen = :p WHERE id = :id"),
                     {"p": part, "id": rep_id})


def _fill_stop_days(conn):
    stops: dict[str, date] = {}
    for loan_id, as_of, dpd in conn.execute(sa.text(
            "SELECT s.loan_id, s.as_of, s.days_past_due FROM status_reports s "
            "JOIN loans l ON l.id = s.loan_id WHERE l.subsidy_cancelled AND s.days_past_due > 0 "
            "AND s.superseded_at IS NULL")):
        first = _day(as_of) - timedelta(days=int(dpd) - 1)
        stops[loan_id] = min(stops.get(loan_id, first), first)
    for loan_id, detail in conn.execute(sa.text(
            "SELECT target_id, detail FROM audit_events WHERE action = 'loan.diversion'")):
        found = (detail if isinstance(detail, dict) else json.loads(detail or "{}")).get("found_on")
        if found:
            stops[loan_id] = min(stops.get(loan_id, _day(found)), _day(found))
    for loan_id, (cancelled,) in {r[0]: r[1:] for r in conn.execute(sa.text(
            "SELECT id, subsidy_cancelled FROM loans WHERE subsidy_cancelled"))}.items():
        if cancelled and loan_id in stops:
            conn.execute(sa.text("UPDATE loans SET subsidy_cancelled_on = :d WHERE id = :id"),
                         {"d": stops[loan_id], "id": loan_id})


def upgrade():
    conn = op.get_bind()
    op.add_column('loans', sa.Column('subsidy_cancelled_on', sa.Date(), nullable=True))
    op.add_column('repayments', sa.Column('contract_interest_fen', sa.BigInteger(), nullable=True))
    _fill_contract_interest(conn)
    _fill_stop_days(conn)
    with op.batch_alter_table('repayments') as batch:
        batch.alter_column('contract_interest_fen', existing_type=sa.BigInteger(), nullable=False)
        batch.create_check_constraint(op.f('ck_repayments_contract_interest_within'),
                                      'contract_interest_fen BETWEEN 0 AND interest_fen')
    op.create_index('ix_repayments_paid_on_loan', 'repayments', ['paid_on', 'loan_id'])
    amounts = ("interest_paid_fen >= interest_counted_fen AND interest_counted_fen >= 0"
               " AND subsidy_fen >= 0")
    op.create_table('subsidy_statements',
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('bank_code', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('quarter', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('share', sa.String(length=12), nullable=False),
    sa.Column('interest_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('interest_counted_fen', sa.BigInteger(), nullable=False),
    sa.Column('subsidy_fen', sa.BigInteger(), nullable=False),
    sa.Column('compiled_on', sa.Date(), nullable=False),
    sa.Column('compiled_by', sa.String(length=36), nullable=True),
    sa.Column('reviewed_by', sa.String(length=36), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('review_note', sa.String(length=1000), nullable=True),
    sa.Column('announced_by', sa.String(length=36), nullable=True),
    sa.Column('announced_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_subsidy_statements_quarter_known')),
    sa.CheckConstraint("status IN ('compiled', 'reviewed', 'announced', 'paid')",
                       name=op.f('ck_subsidy_statements_status_known')),
    sa.CheckConstraint(amounts, name=op.f('ck_subsidy_statements_amounts_consistent')),
    sa.ForeignKeyConstraint(['bank_code'], ['banks.code'], name=op.f('fk_subsidy_statements_bank_code_banks')),
    sa.ForeignKeyConstraint(['compiled_by'], ['users.id'], name=op.f('fk_subsidy_statements_compiled_by_users')),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_subsidy_statements_reviewed_by_users')),
    sa.ForeignKeyConstraint(['announced_by'], ['users.id'], name=op.f('fk_subsidy_statements_announced_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_statements')),
    sa.UniqueConstraint('bank_code', 'year', 'quarter', name=op.f('uq_subsidy_statements_bank_code')),
    sa.UniqueConstraint('number', name=op.f('uq_subsidy_statements_number')),
    )
    op.create_index(op.f('ix_subsidy_statements_bank_code'), 'subsidy_statements', ['bank_code'])
    op.create_index(op.f('ix_subsidy_statements_status'), 'subsidy_statements', ['status'])
    op.create_table('subsidy_lines',
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('loan_id', sa.String(length=36), nullable=False),
    sa.Column('loan_number', sa.String(length=24), nullable=True),
    sa.Column('principal_fen', sa.BigInteger(), nullable=False),
    sa.Column('interest_paid_fen', sa.BigInteger(), nullable=False),
    sa.Column('interest_counted_fen', sa.BigInteger(), nullable=False),
    sa.Column('subsidy_fen', sa.BigInteger(), nullable=False),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('cancelled_reason', sa.String(length=16), nullable=True),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.CheckConstraint(amounts, name=op.f('ck_subsidy_lines_amounts_consistent')),
    sa.ForeignKeyConstraint(['loan_id'], ['loans.id'], name=op.f('fk_subsidy_lines_loan_id_loans')),
    sa.ForeignKeyConstraint(['statement_id'], ['subsidy_statements.id'], name=op.f('fk_subsidy_lines_statement_id_subsidy_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_lines')),
    sa.UniqueConstraint('statement_id', 'loan_id', name=op.f('uq_subsidy_lines_statement_id')),
    )
    op.create_index(op.f('ix_subsidy_lines_loan_id'), 'subsidy_lines', ['loan_id'])
    op.create_index(op.f('ix_subsidy_lines_statement_id'), 'subsidy_lines', ['statement_id'])
    op.create_table('subsidy_payments',
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('bank_code', sa.String(length=16), nullable=False),
    sa.Column('amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('confirmed_by', sa.String(length=36), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.CheckConstraint('amount_fen >= 0', name=op.f('ck_subsidy_payments_amount_nonneg')),
    sa.ForeignKeyConstraint(['bank_code'], ['banks.code'], name=op.f('fk_subsidy_payments_bank_code_banks')),
    sa.ForeignKeyConstraint(['confirmed_by'], ['users.id'], name=op.f('fk_subsidy_payments_confirmed_by_users')),
    sa.ForeignKeyConstraint(['statement_id'], ['subsidy_statements.id'], name=op.f('fk_subsidy_payments_statement_id_subsidy_statements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subsidy_payments')),
    sa.UniqueConstraint('statement_id', name=op.f('uq_subsidy_payments_statement_id')),
    )
    op.create_index(op.f('ix_subsidy_payments_bank_code'), 'subsidy_payments', ['bank_code'])
    op.create_index(op.f('ix_subsidy_payments_paid_on'), 'subsidy_payments', ['paid_on'])


def downgrade():
    op.drop_table('subsidy_payments')
    op.drop_table('subsidy_lines')
    op.drop_table('subsidy_statements')
    op.drop_index('ix_repayments_paid_on_loan', table_name='repayments')
    with op.batch_alter_table('repayments') as batch:
        batch.drop_constraint(op.f('ck_repayments_contract_interest_within'), type_='check')
        batch.drop_column('contract_interest_fen')
    op.drop_column('loans', 'subsidy_cancelled_on')
