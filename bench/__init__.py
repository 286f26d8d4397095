"""Benchmarks of Bizalom: a seeded data generator, a local load generator and a runner.

``python -m bench.run --quick`` (or ``make bench``) runs them; see docs/BENCHMARKS.md.
"""
