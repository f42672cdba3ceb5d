"""The whole surface from the API's OpenAPI document (subjects whose file names ``openapi``).

The document lists every operation (OpenAPI 3.1 §4.8.8); each declaring a bearer token in its
security (§4.8.30) is asked what RFC 6750 asks of any protected resource, with the smallest
request its schema allows (``operations``, ``values``). The samples publish theirs (FastAPI's
``/openapi.json``, the roles each route needs in its security requirement). One result per
check and variant, naming each operation that failed (``document``). Client-credentials cells
only (the answers do not depend on the grant); every mechanism.
"""

from __future__ import annotations

from typing import Any

from harness.checks.base import Check, Sharing, Where
from harness.checks.lies import ONE_CELL
from harness.checks.openapi.surface import (
    bad_tokens,
    document_valid,
    guard_before_body,
    insufficient_scope,
    no_token,
    valid_token,
)
from harness.model.results import Level

_OAS = "OpenAPI 3.1 §4.8.30 (security)"
_ONE: dict[str, Any] = {
    "grants": ONE_CELL,
    "other_grants_reason": "an operation's answers to tokens the API must refuse do not depend on "
    "the grant: judged once per API, in the client-credentials cell",
}
CHECKS = (
    Check("OPENAPI-document-valid",
          "The OpenAPI document is served and valid; its operations listed, the public ones named",
          "OpenAPI 3.1 §4.8.10, §4.8.30", Level.MUST, Where.BOTH, document_valid, **_ONE),
    Check("OPENAPI-secured-no-token",
          "Every operation declared secured, without a token: 401 with a Bearer challenge",
          f"RFC 6750 §3, §3.1; {_OAS}", Level.MUST, Where.BOTH, no_token, **_ONE),
    Check("OPENAPI-secured-bad-tokens",
          "Every secured operation, a garbage, revoked, expired, foreign token: 401 invalid_token",
          f"RFC 6750 §3.1; RFC 7662 §2.2; RFC 9068 §4; {_OAS}", Level.MUST, Where.BOTH,
          bad_tokens, **_ONE, sharing=Sharing.ALONE),
    Check("OPENAPI-secured-insufficient-scope",
          "Every operation declaring a role or scope, a token without it: 403 insufficient_scope",
          f"RFC 6750 §3.1; {_OAS}", Level.MUST, Where.BOTH, insufficient_scope, **_ONE),
    Check("OPENAPI-secured-valid-token",
          "Every secured operation, a valid token holding what it declares: neither 401 nor 403",
          f"RFC 6750 §2.1; {_OAS}", Level.MUST, Where.BOTH, valid_token, **_ONE),
    Check("OPENAPI-guard-before-body-validation",
          "Every secured operation, a body its schema refuses and no token: 401, not 400 or 422",
          "RFC 6750 §3.1; RFC 9110 §15.5.21", Level.SHOULD, Where.BOTH, guard_before_body,
          **_ONE),
)  # fmt: skip
