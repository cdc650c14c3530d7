"""The engine: plans probes, runs them, hands observations to checks, rolls results up."""
