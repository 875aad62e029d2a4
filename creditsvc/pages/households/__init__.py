"""户档案: the list, the file page with its tabs, and the household form."""

from creditsvc.pages.households import editing, routes, survey  # noqa: F401 - they add the views
from creditsvc.pages.households.blueprint import bp

__all__ = ["bp"]
