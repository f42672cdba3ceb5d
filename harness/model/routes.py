"""The routes of a resource server the checks call: public, private, role-scoped.

The samples serve ``/api/public``, ``/api/private`` and ``/api/private-scoped`` (role
``read:messages``); a subject file's ``[routes]`` table names its own (``docs/subjects.md``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Routes:
    """The subject's routes; ``scoped`` None means it has none (role checks do not apply)."""

    public: str = "/api/public"
    private: str = "/api/private"
    scoped: str | None = "/api/private-scoped"
    role: str = "read:messages"
