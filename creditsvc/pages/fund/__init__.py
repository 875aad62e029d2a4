"""The fund office's pages: one blueprint, its routes in a module per page."""

from creditsvc.pages.fund import claims, ledger, policy, stress  # noqa: F401 - routes join bp
from creditsvc.pages.fund.overview import bp

__all__ = ["bp"]
