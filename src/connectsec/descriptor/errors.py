"""Errors that make a descriptor unusable (exit code 2)."""


class DescriptorError(Exception):
    """The descriptor cannot be used: unreachable, not JSON, not a Connect descriptor. One line."""
