"""Inventory sources beyond the descriptor: API calls in the app's scripts, HAR files, OpenAPI documents."""
