"""Sample API that checks tokens by introspection, authenticating with client_secret_basic."""
