"""Segments: saved filters over leads that staff build by hand and use for campaigns."""
