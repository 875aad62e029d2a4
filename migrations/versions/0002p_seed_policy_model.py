"""seed policy version 1 and the bootstrap scorecard as champion

Revision ID: 0002p
Revises: 0002
Create Date: 2026-11-28

Policy version 1 is written here as a literal, not read from code: a past decision
must replay against exactly the numbers it used, whatever the code's defaults become.
"""
import datetime
import json
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002p"
down_revision = "0002"
branch_labels = None
depends_on = None

POLICY_V1 = {
    "version": 1,
    "effective_from": "2025-01-01",
    "amount_min": "1000",
    "amount_max": "50000",
    "term_min": 1,
    "term_max": 36,
    "household_cap": "50000",
    "age_min": 18,
    "age_max": 65,
    "eligible_statuses": [
        "registered_poor",
        "lifted",
        "monitored_edge"
    ],
    "allowed_purposes": [
        "planting",
        "husbandry",
        "processing",
        "small_business",
        "rural_tourism",
        "other_production"
    ],
    "banned_purposes": [
        "house_building",
        "wedding_funeral",
        "consumption",
        "wealth_management",
        "company_share",
        "relending"
    ],
    "grade_bands": [
        [
            "AAA",
            80,
            "50000"
        ],
        [
            "AA",
            70,
            "30000"
        ],
        [
            "A",
            60,
            "10000"
        ]
    ],
    "grey_pd_low": "0.15",
    "grey_pd_high": "1",
    "shock_lookback_days": 365,
    "lpr_table": [
        [
            "2024-10-21",
            "0.0310",
            "0.0360"
        ],
        [
            "2025-05-20",
            "0.0300",
            "0.0350"
        ]
    ],
    "credit_line_years": 2,
    "interest_subsidy_share": "1.00",
    "fund_capital": "500000",
    "leverage": 10,
    "bank_shares": [
        [
            "PSBC",
            "0.60"
        ],
        [
            "ABC",
            "0.40"
        ]
    ],
    "fund_loss_share": "0.80",
    "claim_trigger_dpd": 90,
    "npl_tolerance": "0.05",
    "balance_floor_share": "0.20",
    "max_extension_months": 6,
    "asset_correlation": "0.15"
}

BOOTSTRAP = Path(__file__).resolve().parents[2] / "scoring" / "artifacts" / "bootstrap.json"


def upgrade():
    now = datetime.datetime(2026, 1, 1)
    policies = sa.table("policy_versions", sa.column("version"), sa.column("body", sa.JSON),
                        sa.column("note"), sa.column("created_at", sa.DateTime()))
    op.bulk_insert(policies, [{"version": 1, "body": POLICY_V1, "created_at": now,
                               "note": "programme defaults (DESIGN.md)"}])
    text = BOOTSTRAP.read_text(encoding="utf-8")
    artifact = json.loads(text)
    auc = artifact.get("metrics", {}).get("holdout", {}).get("auc")
    models = sa.table("model_versions", sa.column("sha256"), sa.column("artifact"),
                      sa.column("source"), sa.column("auc", sa.Float), sa.column("is_champion"),
                      sa.column("created_at", sa.DateTime()), sa.column("promoted_at", sa.DateTime()))
    op.bulk_insert(models, [{"sha256": artifact["sha256"], "artifact": text, "source": "bootstrap",
                             "auc": auc, "is_champion": True, "created_at": now,
                             "promoted_at": now}])


def downgrade():
    op.execute("DELETE FROM model_versions WHERE source = 'bootstrap'")
    op.execute("DELETE FROM policy_versions WHERE version = 1")
