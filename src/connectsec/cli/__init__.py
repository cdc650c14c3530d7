"""connectsec.cli."""
