"""评级活动: the village campaign's pages (list, each step, the committee, 公示, grant)."""

from creditsvc.pages.campaigns import committee, notice, routes  # noqa: F401 - registers views
from creditsvc.pages.campaigns.blueprint import bp

__all__ = ["bp"]
