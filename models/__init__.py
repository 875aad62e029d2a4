"""SQLAlchemy models of creditsvc: one module per aggregate. Never imports creditsvc."""

from models.audit import AuditEvent, AuditHead
from models.bank import Bank
from models.base import Base
from models.household import Household, HouseholdMember, MonitoringEvent
from models.user import ApiKey, User

__all__ = [
    "ApiKey",
    "AuditEvent",
    "AuditHead",
    "Bank",
    "Base",
    "Household",
    "HouseholdMember",
    "MonitoringEvent",
    "User",
]
