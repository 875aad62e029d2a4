"""The 台账 pages: the per-loan 贷款台账 and the 台账统计表, each with its xlsx."""

from creditsvc.pages.ledger import stats  # noqa: F401 - its routes join bp
from creditsvc.pages.ledger.routes import bp

__all__ = ["bp"]
