"""Who is asked: the providers, the services they deliver and the campaigns that offer an
instrument to the people a service is for. The records are in app.models; the operators'
commands for them are in app.campaigns.cli."""
