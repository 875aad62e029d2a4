"""Papers to print (PDF): each document's route, and the one response every paper goes through."""

from creditsvc.pages.papers.routes import bp

__all__ = ["bp"]
