"""SQLAlchemy models of creditsvc: one module per aggregate. Never imports creditsvc."""

from models.application import Application
from models.audit import AuditEvent, AuditHead
from models.bank import Bank
from models.base import Base
from models.campaign import (
    Campaign,
    CampaignEntry,
    CampaignObjection,
    CreditLine,
    HouseholdSurvey,
    Rating,
)
from models.fund import (
    BankExposure,
    Claim,
    ExposureTotal,
    Fund,
    JournalEntry,
    Posting,
    Recovery,
)
from models.household import Household, HouseholdMember, MonitoringEvent
from models.idempotency import IdempotencyRecord
from models.job import Job, JobFile
from models.loan import Loan, Repayment, ScheduleItem, StatusReport
from models.numbering import NumberCounter
from models.policy import ModelVersion, PolicyVersion
from models.snapshot import PortfolioSnapshot, SnapshotGroup
from models.subsidy import SubsidyLine, SubsidyPayment, SubsidyStatement
from models.user import ApiKey, OfficerArea, User
from models.waiting import WaitingLineCount, WaitingLineTotal

__all__ = [
    "ApiKey", "Application", "AuditEvent", "AuditHead", "Bank", "BankExposure", "Base",
    "Campaign", "CampaignEntry", "CampaignObjection", "Claim", "CreditLine",
    "ExposureTotal",
    "Fund", "Household", "HouseholdMember", "HouseholdSurvey", "IdempotencyRecord", "Job",
    "JobFile", "JournalEntry", "Loan",
    "ModelVersion", "MonitoringEvent", "NumberCounter", "OfficerArea", "PolicyVersion",
    "PortfolioSnapshot", "Posting", "Rating", "Recovery", "SnapshotGroup",
    "SubsidyLine", "SubsidyPayment", "SubsidyStatement",
    "Repayment", "ScheduleItem", "StatusReport", "User",
    "WaitingLineCount", "WaitingLineTotal",
]
