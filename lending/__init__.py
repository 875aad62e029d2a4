"""Pure lending package of creditsvc: the programme's lending and guarantee-fund rules.

Like `scoring`, no Flask, SQLAlchemy or creditsvc import: frozen dataclasses and plain
values in and out, money in integer fen (Decimal for shares), never float for money, and
no clock (the day a rule applies on is passed in). It may import `scoring` (the policy
and the household cap it shares with the assessment); `scoring` never imports it.

Modules, one function per rule: `dates` (business dates, what cannot yet be true, the
credit line), `classification` (五级分类, PAR, NPL), `schedule` (repayment schedules,
accrual, allocation), `subsidy` (the interest subsidy of a quarter, the day it stops),
`claims` (claim amount, recoveries), `headroom` (household
outstanding and headroom, what counts as overdue, the minimum loan), `eligibility` (the
hard rules that hold again at disbursement), `fund` (capacity, suspension), `stress`
(Monte Carlo stress test), `money` (rounding).
"""
