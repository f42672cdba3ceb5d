"""Load and latency measurements of the sample APIs, run as `python -m benchmarks` (not tests).

What an API built on oauthkit costs per request when it checks each token by introspection
(RFC 7662, https://www.rfc-editor.org/rfc/rfc7662), how much the optional cache and the
coalescing of concurrent lookups of one token save, with and without issuer latency, and how
many introspection requests reach the issuer. The mock issuer serves in this process, each API
in a process of its own (`benchmarks.api_server`), and the load comes from a third (wrk, or
`benchmarks.load_process`). `python -m benchmarks.goal_run` measures issue 12's goals.

Modules: `scenarios` (what is measured), `target` (the request shape), `load` (the in-repo
driver) and `load_process` (its child process), `wrk` (wrk's script and summary), `loadgen`
(which of the two), `stats` (percentiles), `api_process`/`api_server` (the API's process, both
sides), `tokens` (oauthkit's grant), `runner` (one run), `results` and `report` (table, JSON),
`cli` (the command line), `machine` (machine, load, versions), `goals` and `goal_run` (the
goals run).
"""
