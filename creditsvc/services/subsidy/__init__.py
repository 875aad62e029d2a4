"""财政贴息, booked: quarterly statements per bank (compiled, reviewed, announced), the finance
bureau's payments in a book of their own, and the subsidy paid per loan.

The amounts are the rules of `lending/subsidy.py` applied to the repayments servicing recorded
(their contract interest) and the day each loan's subsidy stopped. Nothing here touches the
guarantee fund's ledger: the subsidy is the finance bureau's money.
"""
