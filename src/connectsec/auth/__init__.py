"""Test-tenant credentials and the tokens minted from them."""
