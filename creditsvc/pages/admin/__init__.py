"""Administration pages: one blueprint, its routes in a module per page."""

from creditsvc.pages.admin import areas, models  # noqa: F401 - their routes join bp
from creditsvc.pages.admin.routes import bp

__all__ = ["bp"]
