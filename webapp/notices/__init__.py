"""Versioned privacy notice: drafts, publishing, archive, diffs (B4)."""
