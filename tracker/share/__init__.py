"""Share links: a read-only, expiring link to one report for someone without an account."""
