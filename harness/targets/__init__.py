"""Targets: an issuer plus the two sample APIs (RFC 6750 resource servers) pointed at it."""
