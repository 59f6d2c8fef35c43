"""Forms with nothing to fill in: a button that changes something."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something: only its CSRF token matters."""
