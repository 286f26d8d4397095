"""Sub-processor registry: staff-managed, shown publicly, with a change history (B5)."""
