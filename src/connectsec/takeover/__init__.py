"""R4 subdomain takeover: CNAME chains (dnspython), the service fingerprint table, HTTP confirmation."""
