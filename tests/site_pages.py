"""The pages of Revloop that stand without any record: the ones a page walk visits on
an empty instance and first on the demo (records' own pages are added from the data)."""

STANDING_PAGES = (
    "/",
    "/week",
    "/cycles",
    "/actions/mine",
    "/backlog/",
    "/backlog/new",
    "/experiments/",
    "/experiments/new",
    "/metrics/",
    "/metrics/new",
    "/learnings/",
    "/learnings/new",
    "/insights/",
    "/reports/",
    "/areas/",
    "/calculators/",
    "/account/",
    "/admin/users",
    "/settings/",
    "/settings/webhooks/",
    "/settings/share-links/",
    "/changes/",
    "/import/",
)
