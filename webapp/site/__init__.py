"""The operator's public website: editable pages (home, product, pricing, imprint) and authority details."""
