"""the village campaign: surveys, ratings, campaigns, objections and credit lines

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 18:15:32

调查 → 评级 → 公示 → 授信. A household's survey sheet (its wish to borrow, how much, for what
and who borrows), ratings made without an application, a campaign per village or town with
the village committee's view of each household and the objections heard during 公示, and the
credit lines granted. Applications name their borrower (a member; none means the head) and
the credit line they were made within.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

APPLICATION_REFERENCES = (
    ('borrower_member_id', 'household_members',
     'fk_applications_borrower_member_id_household_members'),
    ('credit_line_id', 'credit_lines', 'fk_applications_credit_line_id_credit_lines'),
)


MEMBER_COLUMNS = (
    ('name_enc', sa.Text()), ('name_masked', sa.String(length=32)),
    ('id_number_enc', sa.Text()), ('id_number_hash', sa.String(length=64)),
    ('id_number_masked', sa.String(length=18)),
)


def upgrade():
    # Members' own names and ID numbers (plain ALTERs: nullable columns, no copy).
    for name, type_ in MEMBER_COLUMNS:
        op.add_column('household_members', sa.Column(name, type_, nullable=True))
    op.create_index('ix_household_members_id_number_hash', 'household_members', ['id_number_hash'])
    op.create_table('campaigns',
    sa.Column('number', sa.String(length=24), nullable=True),
    sa.Column('town', sa.String(length=32), nullable=False),
    sa.Column('village', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_by', sa.String(length=36), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=True),
    sa.Column('notice_from', sa.Date(), nullable=True),
    sa.Column('notice_until', sa.Date(), nullable=True),
    sa.Column('granted_on', sa.Date(), nullable=True),
    sa.Column('granted_by', sa.String(length=36), nullable=True),
    sa.Column('policy_version', sa.Integer(), nullable=True),
    sa.Column('model_sha256', sa.String(length=64), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'rated', 'notice', 'granted', 'cancelled')", name=op.f('ck_campaigns_status_known')),
    sa.ForeignKeyConstraint(['granted_by'], ['users.id'], name=op.f('fk_campaigns_granted_by_users')),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_campaigns_opened_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns')),
    sa.UniqueConstraint('number', name=op.f('uq_campaigns_number'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_campaigns_town_village', ['town', 'village'], unique=False)

    op.create_table('household_surveys',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('group_name', sa.String(length=32), nullable=True),
    sa.Column('labour_count', sa.Integer(), nullable=True),
    sa.Column('main_industry', sa.String(length=64), nullable=True),
    sa.Column('willing', sa.Boolean(), nullable=False),
    sa.Column('intended_amount_fen', sa.BigInteger(), nullable=True),
    sa.Column('purpose', sa.String(length=32), nullable=True),
    sa.Column('term_months', sa.Integer(), nullable=True),
    sa.Column('borrower_member_id', sa.String(length=36), nullable=True),
    sa.Column('surveyor', sa.String(length=64), nullable=True),
    sa.Column('surveyed_on', sa.Date(), nullable=True),
    sa.Column('source_sha256', sa.String(length=64), nullable=True),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('recorded_by', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('intended_amount_fen IS NULL OR intended_amount_fen > 0', name=op.f('ck_household_surveys_intended_positive')),
    sa.CheckConstraint('labour_count IS NULL OR labour_count >= 0', name=op.f('ck_household_surveys_labour_nonneg')),
    sa.CheckConstraint('term_months IS NULL OR term_months > 0', name=op.f('ck_household_surveys_term_positive')),
    sa.ForeignKeyConstraint(['borrower_member_id'], ['household_members.id'], name=op.f('fk_household_surveys_borrower_member_id_household_members')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_surveys_household_id_households')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_household_surveys_recorded_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_surveys')),
    sa.UniqueConstraint('household_id', name=op.f('uq_household_surveys_household_id'))
    )
    op.create_table('ratings',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=True),
    sa.Column('borrower_member_id', sa.String(length=36), nullable=True),
    sa.Column('requested_amount_fen', sa.BigInteger(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('grade', sa.String(length=8), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('pd', sa.Float(), nullable=True),
    sa.Column('line_fen', sa.BigInteger(), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('model_sha256', sa.String(length=64), nullable=False),
    sa.Column('assessment', sa.JSON(), nullable=False),
    sa.Column('rated_by', sa.String(length=36), nullable=False),
    sa.Column('rated_on', sa.Date(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('line_fen >= 0', name=op.f('ck_ratings_line_nonneg')),
    sa.ForeignKeyConstraint(['borrower_member_id'], ['household_members.id'], name=op.f('fk_ratings_borrower_member_id_household_members')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_ratings_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_ratings_household_id_households')),
    sa.ForeignKeyConstraint(['rated_by'], ['users.id'], name=op.f('fk_ratings_rated_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index('ix_ratings_household_created', ['household_id', 'created_at'], unique=False)

    op.create_table('campaign_entries',
    sa.Column('campaign_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('rating_id', sa.String(length=36), nullable=True),
    sa.Column('committee_view', sa.String(length=16), nullable=True),
    sa.Column('committee_line_fen', sa.BigInteger(), nullable=True),
    sa.Column('committee_note', sa.String(length=500), nullable=True),
    sa.Column('proposed_line_fen', sa.BigInteger(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.CheckConstraint("committee_view <> 'lower' OR committee_line_fen IS NOT NULL", name=op.f('ck_campaign_entries_lower_has_line')),
    sa.CheckConstraint("committee_view IS NULL OR committee_view IN ('agree', 'disagree', 'lower')", name=op.f('ck_campaign_entries_view_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_entries_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_campaign_entries_household_id_households')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_campaign_entries_rating_id_ratings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_entries')),
    sa.UniqueConstraint('campaign_id', 'household_id', name='uq_campaign_entries_household')
    )
    with op.batch_alter_table('campaign_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_entries_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_entries_household_id'), ['household_id'], unique=False)

    op.create_table('credit_lines',
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('rating_id', sa.String(length=36), nullable=False),
    sa.Column('campaign_id', sa.String(length=36), nullable=True),
    sa.Column('borrower_member_id', sa.String(length=36), nullable=True),
    sa.Column('grade', sa.String(length=8), nullable=False),
    sa.Column('line_fen', sa.BigInteger(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('policy_version', sa.Integer(), nullable=False),
    sa.Column('model_sha256', sa.String(length=64), nullable=False),
    sa.Column('granted_by', sa.String(length=36), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=False),
    sa.Column('replaced_by', sa.String(length=36), nullable=True),
    sa.Column('revoked_reason', sa.String(length=500), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'replaced', 'revoked')", name=op.f('ck_credit_lines_status_known')),
    sa.CheckConstraint('line_fen > 0', name=op.f('ck_credit_lines_line_positive')),
    sa.CheckConstraint('valid_until >= valid_from', name=op.f('ck_credit_lines_dates_ordered')),
    sa.ForeignKeyConstraint(['borrower_member_id'], ['household_members.id'], name=op.f('fk_credit_lines_borrower_member_id_household_members')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_credit_lines_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['granted_by'], ['users.id'], name=op.f('fk_credit_lines_granted_by_users')),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_credit_lines_household_id_households')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_credit_lines_rating_id_ratings')),
    sa.ForeignKeyConstraint(['replaced_by'], ['credit_lines.id'], name=op.f('fk_credit_lines_replaced_by_credit_lines')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_lines'))
    )
    with op.batch_alter_table('credit_lines', schema=None) as batch_op:
        batch_op.create_index('ix_credit_lines_household', ['household_id'], unique=False)
        batch_op.create_index('uq_credit_lines_active_household', ['household_id'], unique=True, sqlite_where=sa.text("status = 'active'"), postgresql_where=sa.text("status = 'active'"))

    op.create_table('campaign_objections',
    sa.Column('campaign_id', sa.String(length=36), nullable=False),
    sa.Column('entry_id', sa.String(length=36), nullable=True),
    sa.Column('raised_by_enc', sa.Text(), nullable=False),
    sa.Column('raised_by_masked', sa.String(length=32), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('content', sa.String(length=1000), nullable=False),
    sa.Column('recorded_by', sa.String(length=36), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolution', sa.String(length=1000), nullable=True),
    sa.Column('resolved_by', sa.String(length=36), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'upheld', 'dismissed')", name=op.f('ck_campaign_objections_status_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_objections_campaign_id_campaigns')),
    sa.ForeignKeyConstraint(['entry_id'], ['campaign_entries.id'], name=op.f('fk_campaign_objections_entry_id_campaign_entries')),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_campaign_objections_recorded_by_users')),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], name=op.f('fk_campaign_objections_resolved_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_objections'))
    )
    with op.batch_alter_table('campaign_objections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_objections_campaign_id'), ['campaign_id'], unique=False)

    # Plain ALTERs, no batch copy: recreating applications on SQLite would trip the foreign
    # keys of the loans that refer to it. SQLite takes the reference inline with the column.
    for column, target, fk in APPLICATION_REFERENCES:
        if op.get_bind().dialect.name == 'sqlite':
            op.execute(f'ALTER TABLE applications ADD COLUMN {column} VARCHAR(36) '
                       f'CONSTRAINT {fk} REFERENCES {target} (id)')
        else:
            op.add_column('applications', sa.Column(column, sa.String(length=36), nullable=True))
            op.create_foreign_key(fk, 'applications', target, [column], ['id'])



def downgrade():
    op.drop_index('ix_household_members_id_number_hash', 'household_members')
    for name, _ in MEMBER_COLUMNS:  # plain DROP COLUMNs: a rebuild would trip references
        op.drop_column('household_members', name)
    # A plain DROP COLUMN on both (SQLite 3.35+ drops a column with an inline reference; a
    # batch rebuild of applications would trip the loans' foreign keys).
    for column, _, _ in APPLICATION_REFERENCES:
        op.drop_column('applications', column)

    with op.batch_alter_table('campaign_objections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_objections_campaign_id'))

    op.drop_table('campaign_objections')
    with op.batch_alter_table('credit_lines', schema=None) as batch_op:
        batch_op.drop_index('uq_credit_lines_active_household')
        batch_op.drop_index('ix_credit_lines_household')

    op.drop_table('credit_lines')
    with op.batch_alter_table('campaign_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_entries_household_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_entries_campaign_id'))

    op.drop_table('campaign_entries')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_household_created')
        batch_op.drop_index(batch_op.f('ix_ratings_campaign_id'))

    op.drop_table('ratings')
    op.drop_table('household_surveys')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index('ix_campaigns_town_village')

    op.drop_table('campaigns')
