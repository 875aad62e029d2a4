"""Programme vocabularies: the string codes shared by the service and scoring."""

HOUSEHOLD_STATUSES = ("registered_poor", "lifted", "monitored_edge")

ALLOWED_PURPOSES = (
    "planting",
    "husbandry",
    "processing",
    "small_business",
    "rural_tourism",
    "other_production",
)

# company_share covers 入股分红 and 户贷企用; relending is 转贷.
BANNED_PURPOSES = (
    "house_building",
    "wedding_funeral",
    "consumption",
    "wealth_management",
    "company_share",
    "relending",
)

PURPOSES = ALLOWED_PURPOSES + BANNED_PURPOSES

MONITORING_EVENT_KINDS = ("serious_illness", "disaster", "income_drop")

INCOME_SOURCES = ("wages", "planting", "husbandry", "business", "transfer", "other")

MEMBER_RELATIONS = ("head", "spouse", "child", "parent", "grandchild", "sibling", "other")

GUARANTEE_FLAGS = ("food", "clothing", "education", "medical", "housing")
