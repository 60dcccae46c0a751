"""CSV in and out: the exports behind every list's "Export CSV" link, and the
whole-or-nothing imports of metric readings and result snapshots."""
