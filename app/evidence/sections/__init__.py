"""The sections of an evidence pack, one module each: responses, wellbeing scales (with
change over time), questionnaires, the outcomes wheel, and inspections and mystery shops.
Each builds a `tables.Section` from query results, already suppressed."""
