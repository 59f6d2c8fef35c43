"""Safeguarding: alerts from respondents, answers and staff, and emails to the safeguarding
leads that survive a mail server being down. The leads' pages are in `app.concerns`."""
