"""Young inspections and mystery shops: frameworks, visits, panel ratings, moderation and
providers' replies. Pages, reports and evidence all call this package.

A visit moves one way: scheduled (`visits`) -> rated by its panel, each member's ratings a
draft until they submit (`rating`) -> moderated by a coordinator -> finalised
(`moderation`). A final report is evidence and never changes; a correction is a new visit
that supersedes it, with the reason recorded. Who may see and do what is in
`permissions`; the side-by-side table of a panel's ratings in `panel_table`; providers'
replies in `replies`.

Nothing here reads the request or the session: pages pass in the signed-in person and the
instrument registry.
"""
