"""Background jobs in the pages: progress by htmx polling, results, the bank feed's upload."""

from creditsvc.pages.jobs import feed  # noqa: F401 - its routes join bp
from creditsvc.pages.jobs.routes import bp

__all__ = ["bp"]
