"""Sample API that checks tokens by introspection, authenticating with private_key_jwt."""
