"""Erasure of a person everywhere, with coded refusal grounds, a receipt without personal data and a replay list."""
