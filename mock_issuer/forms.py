"""Reading form-urlencoded request bodies and client credentials (RFC 6749 §2.3.1, §3.2).

Bodies are capped (:data:`MAX_BODY_BYTES`), must be ASCII form-urlencoded with UTF-8
percent-escapes, and may not repeat a parameter. Client credentials come from a Basic header
(each part form-urlencoded, RFC 6749 §2.3.1) or from form fields, never both
(RFC 6749 §2.3: "MUST NOT use more than one authentication method").
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from starlette.requests import Request

from mock_issuer.errors import OAuthError, invalid_request

MAX_BODY_BYTES = 1024 * 1024
MAX_FIELDS = 64
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
ASSERTION_TYPE_JWT = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

Form = dict[str, str]


def _too_large() -> OAuthError:
    return OAuthError(
        "invalid_request", f"request body is larger than {MAX_BODY_BYTES} bytes", status=413
    )


async def read_body(request: Request) -> bytes:
    """The raw body, refusing anything above :data:`MAX_BODY_BYTES` with 413."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _too_large()
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise _too_large()
    return bytes(body)


def parse_form(body: bytes, content_type: str) -> Form:
    """Parse a form body into single values; blank values count as absent."""
    if not body:
        return {}
    if content_type.split(";")[0].strip().lower() != FORM_CONTENT_TYPE:
        raise invalid_request(f"Content-Type must be {FORM_CONTENT_TYPE} (RFC 6749 §3.2)")
    try:
        pairs = parse_qsl(
            body.decode("ascii"), encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_request(
            f"body is not form-urlencoded UTF-8 text with at most {MAX_FIELDS} fields"
        ) from exc
    form: Form = {}
    for name, value in pairs:
        if name in form:
            raise invalid_request(f"parameter '{name}' is repeated (RFC 6749 §3.2)")
        form[name] = value
    return form


async def read_form(request: Request) -> Form:
    """Read and parse the request's form body."""
    body = await read_body(request)
    return parse_form(body, request.headers.get("content-type", ""))


@dataclass(frozen=True)
class ClientCredentials:
    """The client authentication a request carries; ``None`` where absent."""

    client_id: str | None = None
    client_secret: str | None = None
    client_assertion: str | None = None
    client_assertion_type: str | None = None
    from_basic: bool = False

    @property
    def present(self) -> bool:
        """Whether the request tries to authenticate at all (a secret or an assertion)."""
        return self.from_basic or bool(self.client_secret or self.client_assertion)


def parse_basic(authorization: str) -> tuple[str, str] | None:
    """``(client_id, client_secret)`` from a Basic header, or ``None`` for other schemes."""
    scheme, _, encoded = authorization.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        # A header byte outside ASCII reaches us as a latin-1 character: ValueError, not a 500.
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError) as exc:
        raise _malformed_basic() from exc
    user, colon, password = decoded.partition(":")
    if not colon or not user:
        raise _malformed_basic()
    return unquote_plus(user), unquote_plus(password)


def _malformed_basic() -> OAuthError:
    return invalid_request(
        "malformed Basic credentials: expected base64(urlencode(client_id) ':' "
        "urlencode(client_secret)) (RFC 6749 §2.3.1)"
    )


def read_client_auth(request: Request, form: Form) -> ClientCredentials:
    """Collect client credentials from the Basic header or the form, refusing both at once."""
    basic = parse_basic(request.headers.get("authorization", ""))
    from_form = ClientCredentials(
        client_id=form.get("client_id"),
        client_secret=form.get("client_secret"),
        client_assertion=form.get("client_assertion"),
        client_assertion_type=form.get("client_assertion_type"),
    )
    if from_form.client_secret and from_form.client_assertion:
        raise _more_than_one_method()
    if basic is None:
        return from_form
    form_id = from_form.client_id
    if from_form.present or (form_id is not None and form_id != basic[0]):
        raise _more_than_one_method()
    return ClientCredentials(client_id=basic[0], client_secret=basic[1], from_basic=True)


def _more_than_one_method() -> OAuthError:
    return invalid_request("client authentication must not use more than one method")
