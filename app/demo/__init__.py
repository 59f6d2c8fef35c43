"""Demonstration data for trying the platform (`flask --app wsgi demo load`): never live."""
