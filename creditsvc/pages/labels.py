"""The programme's codes as pages show them: the one table is creditsvc/core/labels.py (exports
written by a job use it too)."""

from creditsvc.core.labels import LABELS, choices, label

__all__ = ["LABELS", "choices", "label"]
