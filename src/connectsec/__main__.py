"""`python -m connectsec`."""

from connectsec.cli.main import run

run()
