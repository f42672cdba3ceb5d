"""Showing a run: the HTML and JSON report, the terminal, causes, curl lines, diff, merge, history.

Reads `harness.model` only: a report is made from results, never from checks or targets.
"""
