"""campaigns: their counts kept on the row; households indexed by (town, village)

Revision ID: 0017c
Revises: 0016
Create Date: 2026-12-07 18:50:00

The campaign list shows each campaign's counts. Counted from the entries on every read, a
page of campaigns costs the size of their lists (a town's runs to thousands of households);
each step already knows its count, and writes it on the campaign in its own transaction.
The form that opens a campaign offers the villages of the officer's towns: with an index on
(town, village) they are found one index seek each, not by reading every household.
"""
import sqlalchemy as sa
from alembic import op

revision = '0017c'
down_revision = '0016'
branch_labels = None
depends_on = None

COLUMNS = ('households_count', 'rated_count', 'viewed_count', 'lines_count')


def upgrade():
    # Plain ALTERs with a default: SQLite adds them in place (no table copy).
    for name in COLUMNS:
        op.add_column('campaigns', sa.Column(name, sa.Integer(), nullable=False,
                                             server_default='0'))
    op.create_index('ix_households_town_village', 'households', ['town', 'village'])
    conn = op.get_bind()
    conn.execute(sa.text(
        "UPDATE campaigns SET "
        "households_count = (SELECT count(*) FROM campaign_entries e WHERE e.campaign_id = campaigns.id), "
        "rated_count = (SELECT count(e.rating_id) FROM campaign_entries e WHERE e.campaign_id = campaigns.id), "
        "viewed_count = (SELECT count(e.committee_view) FROM campaign_entries e "
        "WHERE e.campaign_id = campaigns.id), "
        "lines_count = (SELECT count(*) FROM credit_lines l WHERE l.campaign_id = campaigns.id)"))


def downgrade():
    op.drop_index('ix_households_town_village', 'households')
    # Plain DROP COLUMNs (SQLite 3.35+): recreating campaigns would trip its children's keys.
    for name in reversed(COLUMNS):
        op.drop_column('campaigns', name)
