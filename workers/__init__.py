"""RQ job functions. Each takes ids and plain values, never ORM objects."""
