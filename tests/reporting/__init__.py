"""Tests of connectsec.reporting."""
