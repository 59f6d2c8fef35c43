"""Young inspections and mystery shops: frameworks, visits, panel ratings, moderation and
providers' replies. Pages, reports and evidence all call this package."""
