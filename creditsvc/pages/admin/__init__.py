"""Administration pages: one blueprint, its routes in a module per page."""

from creditsvc.pages.admin import models  # noqa: F401 - its routes join bp
from creditsvc.pages.admin.routes import bp

__all__ = ["bp"]
