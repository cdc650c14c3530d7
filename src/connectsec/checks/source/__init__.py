"""Source-mode checks: judgements of what the source scanners found in the app's repository."""
