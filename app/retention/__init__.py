"""Keeping answers no longer than a campaign says: the operators' command that runs the
retention rules of app.privacy."""
