"""Exports of a tenant's contacts and companies as CSV, XLSX or XML (requirements D6, G4, E8).

- Only tenant admins may export (``@allow("tenant_admin")``); operator staff have no tenant.
- ``POST /exports`` writes an ``ExportRecord`` and enqueues ``workers.exports.run_export`` on the
  ``exports`` queue; ``/exports/<id>`` polls its progress (htmx, or a meta refresh without JS).
- The job streams rows by keyset pagination (``id > last``, ``BATCH_SIZE`` rows at a time) into the
  file, so memory does not grow with the table; it records the row count and the file's SHA-256
  and logs ``data_exported`` in the security log. Downloads are logged as ``export_downloaded``.
- Download links carry a random token shown only to the requester (kept in their session; the
  database stores its SHA-256) and expire after ``EXPORT_LINK_HOURS`` (default 24): then 410, and
  ``workers.exports.purge_expired_exports`` deletes the file. The record stays as the export log.

Formula injection (see ``cells``): a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return (the OWASP "CSV injection" set) gets a leading apostrophe in CSV and XLSX. XLSX text
is always written as a string cell, never a formula; there a valid phone number such as
``+36201234567`` is kept as it is, as text with Excel's own "quote prefix" flag. XML is data, not a
spreadsheet: it is only escaped.
"""
