"""The retention engine (REQUIREMENTS G1): ``registry`` (targets), ``engine`` (set-based batches),
``services`` (runs, reports, holds)."""
