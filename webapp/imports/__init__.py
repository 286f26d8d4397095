"""Contact import from CSV and XLSX files: upload, header mapping, a checked job, a rejection report."""
