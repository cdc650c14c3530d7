"""connectsec.html."""
