"""R6: cloud storage the app references, found in its responses and probed anonymously."""
