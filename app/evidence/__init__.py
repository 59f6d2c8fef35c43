"""Evidence for commissioners, one idea per module. No Flask request objects: views and
exports call into this package.

Pure (no database, no Flask): `periods` (monitoring periods), `statistics`, `suppression`
(the small-numbers rule), `disclosure` (which groups and sections may be published),
`maths` (a scale's figures, expected band shares), `words` (names and labels), `tables`
(the `Pack` every output renders) and `packs` (CSV, XLSX, PDF), `figures_cache`.

SQL: `queries` (responses, scores, change, answers), `reading_queries` (outcomes wheel),
`inventory` (who is there, instruments used, visits, the data version), `written_answers`.

Building: `sections/` (one module per section of a pack), `assemble` (a pack's sections
and method), `build` (`service_pack`, `provider_pack`: the orchestration) and
`page_figures` (figures kept while their data is unchanged).

Synthetic data for benchmarks and demonstrations lives apart, in `app.synthetic`.
"""
