"""Versioned data: requirement texts, finding types, severities, remediation."""
