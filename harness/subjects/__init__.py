"""Subjects: any HTTP API protected by bearer tokens (RFC 6750), described by a TOML file.

``file.py`` reads and validates a subject file, ``placeholders.py`` fills in its command and
environment, ``process.py`` runs it as a child process, ``instances.py`` keeps its running
instances (and the issuer-down twin); ``harness/targets/subject.py`` puts it behind the checks.
See ``docs/subjects.md``.
"""
