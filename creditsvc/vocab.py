"""The zone's towns and the code lists household files use."""

TOWNS = ("地都镇", "砲台镇", "登岗镇", "渔湖镇")
STATUSES = ("registered_poor", "lifted", "monitored_edge")
INCOME_SOURCES = ("wages", "planting", "husbandry", "business", "transfer", "other")
RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")
EVENT_KINDS = ("serious_illness", "disaster", "income_drop")
