"""Staff accounts: signing in with throttling that cannot lock others out, sessions that can
be ended everywhere, set-password links, password strength, and the `users` commands."""
