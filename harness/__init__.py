"""Conformance harness: runs every grant x mechanism cell of checks against resource servers.

Its wings, each importing only those below it (``docs/architecture.md``): ``model`` (the
matrix, results, routes, skips) at the bottom with ``redaction`` and ``logcapture``;
``subjects`` (subject files and processes); ``targets`` (an issuer, mock or live, and the APIs
pointed at it); ``checks`` and ``observations``; ``run`` (cases, execution, the runner, the
pytest collector); ``report`` (reads ``model`` only). At the top, the entry points: ``cli``,
``subcommands``, ``pytest_plugin``, ``__main__``. The mock issuer is the ``mock_issuer``
package, used through its ``__init__``.
"""
