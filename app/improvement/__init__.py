"""The improvement cycle: cases opened from a concern about a contract, their steps, the
action plan and its agreed versions, reviews, escalation, closing, and telling people.

A capability: no request objects except the signed-in user passed in; pages live in
`app.cases`. `summary` gives other pages (the contracts overview, a contract's page, the
evidence pack) what they show of cases.
"""
