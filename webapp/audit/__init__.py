"""Audit trail and trash of tenant records: automatic capture, append-only rows, restore, purge.

Public API: ``webapp.audit.services``. Which records are audited: ``webapp.audit.registry``.
"""
