"""The structure rules of docs/architecture.md, read from the doc and held against the code.

`python -m tests.unit.architecture --write` regenerates the doc's import diagrams.
"""
