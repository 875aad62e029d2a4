"""The bank desk (合作银行工作台): its own bank only.

工作台 (counts), 待受理 (approved applications routed to the bank: accept, reject, bulk accept),
放款 (disbursement with a schedule preview), 贷款 (loans and their servicing) and 代偿 (claims
on the fund and recoveries). Every object comes through the bank-scoped services, so another
bank's application or loan answers with the 404 page.
"""

# The routes join the blueprint when their modules load.
from creditsvc.pages.bank import (  # noqa: F401
    claims,
    desk,
    disburse,
    loans,
    queue,
    servicing,
)
from creditsvc.pages.bank.blueprint import bp

__all__ = ["bp"]
