"""The registry of checks, in the order the report lists them.

Each theme has its own module (RFC 6749 §5.1 and RFC 7662 in ``tokens``, RFC 6750 in
``rfc6750`` and ``roles``, ZITADEL's project-scoped roles in ``zitadel_roles``, issuer
failures in ``faults``, local JWT validation (RFC 9068, RFC 8725) in ``local_jwt``, MCP's
authorization rules in ``mcp``, every operation of an OpenAPI document in ``openapi``,
protected resource metadata (RFC 9728) in ``resource_metadata``, leaks in ``leaks``); this
module puts them in one tuple with unique ids.
"""

from __future__ import annotations

from harness.checks import (
    faults,
    issuer_lint,
    leaks,
    lies,
    local_jwt,
    mcp,
    odd_requests,
    openapi,
    propagation,
    resource_metadata,
    rfc6750,
    roles,
    tokens,
    zitadel_roles,
)
from harness.checks.base import Check, CheckContext, Where
from harness.model.registry import Registry

ALL_CHECKS: Registry[Check] = Registry(
    "check",
    tokens.CHECKS[:2]
    + rfc6750.CHECKS
    + tokens.CHECKS[2:]
    + roles.CHECKS
    + zitadel_roles.CHECKS
    + faults.CHECKS
    + lies.CHECKS
    + local_jwt.CHECKS
    + odd_requests.CHECKS
    + issuer_lint.CHECKS
    + propagation.CHECKS
    + mcp.CHECKS
    + openapi.CHECKS
    + resource_metadata.CHECKS
    + leaks.CHECKS,
)


def check_by_id(check_id: str) -> Check:
    """The registered check with ``check_id``."""
    return ALL_CHECKS.by_id(check_id)


__all__ = ["ALL_CHECKS", "Check", "CheckContext", "Where", "check_by_id"]
