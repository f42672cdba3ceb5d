"""The harness's data: the matrix, routes, results, skips, run info; every wing reads it.

Nothing here imports another wing of the harness: plain data and pure functions only, so the
report can be built from a run's JSON without loading a check, a target or the mock issuer.
"""
