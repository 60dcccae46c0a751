"""Experiments: the board, the design form, the status page with results, analysis
and decision. One blueprint; each job's routes live in their own module, imported
here so that registering the blueprint registers all of them."""

from __future__ import annotations

from tracker.experiments import (  # noqa: F401  (importing registers the routes)
    board,
    decision,
    design,
    lifecycle,
    results,
    status_page,
)
from tracker.experiments.blueprint import bp

__all__ = ["bp"]
