"""Checks: one module per requirement family, judging observations without any I/O."""
