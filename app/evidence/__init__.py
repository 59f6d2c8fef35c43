"""Evidence for commissioners: monitoring periods, SQL aggregates, statistics and the
small-numbers rule. No Flask request objects: views and exports call into this package."""
