"""connectsec: tests Atlassian Connect cloud apps against the Marketplace security requirements."""

__version__ = "0.1.0"
