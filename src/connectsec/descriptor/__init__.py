"""connectsec.descriptor."""
