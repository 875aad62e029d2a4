"""The zone's towns, its partner banks, and the code lists household files use."""

from scoring.vocab import HOUSEHOLD_STATUSES as STATUSES
from scoring.vocab import INCOME_SOURCES
from scoring.vocab import MEMBER_RELATIONS as RELATIONS
from scoring.vocab import MONITORING_EVENT_KINDS as EVENT_KINDS

TOWNS = ("地都镇", "砲台镇", "登岗镇", "渔湖镇")
# The partner banks the migrations seed (banks table); an input naming another is a 422.
BANK_CODES = ("PSBC", "ABC")

__all__ = ["BANK_CODES", "EVENT_KINDS", "INCOME_SOURCES", "RELATIONS", "STATUSES", "TOWNS"]
