"""Load and latency measurements of the sample APIs, run as `python -m benchmarks` (not tests).

What an API built on oauthkit costs per request when it checks each token by introspection
(RFC 7662, https://www.rfc-editor.org/rfc/rfc7662), how much the optional cache and the
coalescing of concurrent lookups of one token save, with and without issuer latency, and how
many introspection requests reach the issuer. The mock issuer serves in this process, each API
in a process of its own (`benchmarks.api_server`), and the load comes from here over httpx.

Modules: `scenarios` (what is measured), `load` (the driver), `stats` (percentiles),
`api_process`/`api_server` (the API's process, both sides), `tokens` (oauthkit's grant),
`runner` (one run), `results` and `report` (table, JSON), `cli` (the command line).
"""
