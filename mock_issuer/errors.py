"""OAuth 2.0 error responses (RFC 6749 §5.2, RFC 7662 §2.3, RFC 7009 §2.2.1).

Endpoints raise :class:`OAuthError`; one handler (``app.guarded``) turns it into the JSON body
``{"error", "error_description"}`` with ``application/json``. Like ZITADEL (zitadel/oidc
``WriteError``) the status is 400 for every error but ``server_error`` (500), unless an error
says otherwise (413 for oversized bodies). Anything unexpected becomes a 500 ``server_error``
without a traceback in the body.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response


class OAuthError(Exception):
    """An RFC 6749 §5.2 error: ``error`` code, optional description, HTTP status, and headers
    the answer carries (a ``WWW-Authenticate`` challenge, RFC 6750 §3)."""

    def __init__(
        self,
        error: str,
        description: str | None = None,
        status: int = 400,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description
        self.status = status
        self.headers = dict(headers or {})

    def body(self) -> dict[str, str]:
        """The JSON body; ``error_description`` is left out when there is none (as ZITADEL)."""
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


def invalid_request(description: str) -> OAuthError:
    """RFC 6749 §5.2 ``invalid_request``: a missing, repeated or malformed parameter."""
    return OAuthError("invalid_request", description)


def render(error: OAuthError, headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The response for an :class:`OAuthError`; no caching (RFC 6749 §5.1)."""
    all_headers = {"Cache-Control": "no-store", **error.headers, **(headers or {})}
    return JSONResponse(error.body(), status_code=error.status, headers=all_headers)


async def handle_http_exception(request: Request, exc: Exception) -> Response:
    """Render Starlette's 404/405 as JSON error bodies too."""
    assert isinstance(exc, HTTPException)
    description = f"{request.method} {request.url.path}: {exc.detail}"
    error = OAuthError("invalid_request", description, status=exc.status_code)
    return render(error, headers=exc.headers)


def echo(value: object, limit: int = 64) -> str:
    """A client-supplied value, quoted and cut short, safe to put in a description."""
    text = value if isinstance(value, str) else repr(value)
    return repr(text if len(text) <= limit else text[:limit] + "...")
