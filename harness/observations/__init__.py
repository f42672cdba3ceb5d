"""The issuer-behaviour observations, in report order, and running one against a target.

Where issuers differ in ways a user cares about (RFC 6749 §5.2 status codes for bad client
credentials, the RFC 7662 §2.2 answer's shape, scope versus role claims, JWT access tokens at
introspection), the harness records what this issuer does. Observing never fails a run: a
failure to observe is recorded with its reason, redacted like everything else.
"""

from __future__ import annotations

import time
from typing import Any

from harness.model.registry import Registry
from harness.model.results import ObservationResult
from harness.model.skips import CheckSkipped
from harness.observations import introspection, token_endpoint
from harness.observations.base import Observation, ObserveContext, Observed
from harness.redaction import Redactor
from harness.targets.base import Target

ALL_OBSERVATIONS: Registry[Observation] = Registry("observation", (
    Observation("token-unknown-client",
                "Token endpoint: client credentials for a client that does not exist",
                "RFC 6749 §5.2", token_endpoint.unknown_client),
    Observation("token-response-members", "Token endpoint: the members of a token response",
                "RFC 6749 §5.1", token_endpoint.token_response_members),
    Observation("introspection-auth-methods",
                "Discovery: advertised introspection client authentication methods",
                "RFC 8414 §2", token_endpoint.introspection_auth_methods),
    Observation("introspection-bad-api-secret",
                "Introspection: the API app's client id with a wrong secret",
                "RFC 7662 §2.1; RFC 6749 §5.2", introspection.bad_api_secret),
    Observation("introspection-inactive-shape",
                "Introspection: the answer for a token never issued",
                "RFC 7662 §2.2", introspection.inactive_shape),
    Observation("introspection-roles-location",
                "Introspection: where the active answer carries the role read:messages",
                "RFC 7662 §2.2", introspection.roles_location),
    Observation("introspection-aud-shape", "Introspection: aud as a string or an array",
                "RFC 7662 §2.2; RFC 7519 §4.1.3", introspection.aud_shape),
    Observation("introspection-other-audience",
                "Introspection: a token for another audience (OTHER_AUDIENCE_SCOPES)",
                "RFC 7662 §2.2, §4", introspection.other_audience),
    Observation("introspection-jwt-access-token",
                "Introspection: a JWT access token",
                "RFC 7662 §2.1; RFC 9068 §2", introspection.jwt_access_token),
))  # fmt: skip


def observation_by_id(observation_id: str) -> Observation:
    """The registered observation with ``observation_id``."""
    return ALL_OBSERVATIONS.by_id(observation_id)


def observe(observation: Observation, target: Target, order: int = 0) -> ObservationResult:
    """Make one observation; never raises for the issuer's or the settings' sake."""
    started, context = time.perf_counter(), ObserveContext(target)
    try:
        seen = observation.fn(context)
    except CheckSkipped as exc:
        seen, observed = Observed("", detail=exc.reason), False
    except Exception as exc:
        seen, observed = (
            Observed("", detail=f"could not observe: {type(exc).__name__}: {exc}"),
            False,
        )
    else:
        observed = True
    redact = target.redactor.redact
    return ObservationResult(
        id=observation.id, title=observation.title, rfc=observation.rfc, observed=observed,
        value=redact(seen.value), detail=redact(seen.detail),
        data=_redacted(seen.data, target.redactor), exchanges=tuple(context.exchanges),
        order=order, duration_s=round(time.perf_counter() - started, 4),
    )  # fmt: skip


def observe_all(
    target: Target, observations: tuple[Observation, ...] = ALL_OBSERVATIONS
) -> list[ObservationResult]:
    """Every observation, in registry order."""
    return [observe(o, target, ALL_OBSERVATIONS.order_of(o.id)) for o in observations]


def _redacted(value: Any, redactor: Redactor) -> Any:
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, dict):
        return {redactor.redact(str(k)): _redacted(v, redactor) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redacted(v, redactor) for v in value]
    return value


__all__ = ["ALL_OBSERVATIONS", "Observation", "observation_by_id", "observe", "observe_all"]
