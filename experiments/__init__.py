"""The pure core of Revloop: statistics, sample-size planning, priority scores
and the rules of the weekly cycle.

Nothing in this package knows about the web or the database, so a notebook
user can ``from experiments.stats import compare`` with neither installed.
"""
