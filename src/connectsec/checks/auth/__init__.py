"""Active authentication checks: R5 access control, R9 JWT validation, R13 qsh tampering."""
