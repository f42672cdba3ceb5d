"""The routes of a resource server the checks call: public, private, role-scoped.

The samples serve ``GET /api/public``, ``GET /api/private`` and ``GET /api/private-scoped``
(role ``read:messages``); a subject file's ``[routes]`` table names its own
(``docs/subjects.md``), each a path (a GET) or a request: a method, headers and a body.

A `Route` is the request a check sends to reach the route, less the credentials: the checks
call it through ``CheckContext.call`` (``harness/checks/base.py``), which adds the
``Authorization`` header (or none), any headers the check needs (they replace the route's of
the same name) and, when the check brings one, its own body in place of the route's.
"""

from __future__ import annotations

from dataclasses import dataclass

Header = tuple[str, str]


@dataclass(frozen=True)
class Route:
    """One request the API answers: ``method`` on ``path`` with ``headers`` and ``body``.

    ``path`` starts with ``/`` and may carry a query. ``headers`` never include
    ``Authorization`` (the checks set it). A JSON body comes with its ``Content-Type``
    among the headers, as the subject file's ``json =`` gives it.
    """

    path: str
    method: str = "GET"
    headers: tuple[Header, ...] = ()
    body: bytes = b""

    @property
    def label(self) -> str:
        """``METHOD /path``, for reports and reasons."""
        return f"{self.method} {self.path}"

    def with_query(self, query: str) -> str:
        """The path with ``query`` (``name=value``) added to any query it has."""
        if not query:
            return self.path
        return f"{self.path}{'&' if '?' in self.path else '?'}{query}"

    def headers_with(self, extra: list[Header]) -> list[Header]:
        """The route's headers, those named in ``extra`` replaced by ``extra`` (kept in order)."""
        named = {name.lower() for name, _ in extra}
        return [h for h in self.headers if h[0].lower() not in named] + list(extra)


@dataclass(frozen=True)
class Routes:
    """The subject's routes; ``scoped`` None means it has none (role checks do not apply)."""

    public: Route = Route("/api/public")
    private: Route = Route("/api/private")
    scoped: Route | None = Route("/api/private-scoped")
    role: str = "read:messages"
