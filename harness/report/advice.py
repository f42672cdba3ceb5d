"""What to check for a known cause, in the words of the subject's own file and of the run.

The advice names the settings the subject really reads: its subject file's ``[env]`` keys for
the placeholders that fill them (``INTROSPECT_CLIENT_SECRET = "{api_client_secret}"`` makes
it ``INTROSPECT_CLIENT_SECRET``), and the ``.env`` variables where the subject reads the
``{env_file}``. Against the mock issuer the harness provisioned every credential itself, so
the advice says where the subject was given them rather than asking to fix a value; against
a live issuer it names the ``.env`` variable to check and the subject's name for it.
"""

from __future__ import annotations

from harness.model.matrix import Mechanism
from harness.model.results import CheckResult, SubjectInfo

# Per mechanism: the placeholders of the API app's credentials, and the .env's names for them.
CREDENTIALS = {
    Mechanism.PRIVATE_KEY_JWT: (
        ("api_key_file", "api_key_pem", "api_key_id", "api_client_id"),
        ("API_PRIVATE_KEY_FILE",),
    ),
    Mechanism.CLIENT_SECRET_BASIC: (
        ("api_client_id", "api_client_secret"),
        ("API_CLIENT_ID", "API_CLIENT_SECRET"),
    ),
}
ISSUER = (
    ("issuer", "issuer_hostport", "introspection_endpoint", "jwks_uri", "token_endpoint"),
    ("ZITADEL_DOMAIN",),
)
GRANT_SETTINGS = (
    "CLIENT_PRIVATE_KEY_FILE_PATH, CLIENT_ID and CLIENT_SECRET, PERSONAL_ACCESS_TOKEN, and the "
    "scopes they ask for (TOKEN_SCOPES)"
)
HOW_SENT = {
    Mechanism.PRIVATE_KEY_JWT: "a client assertion signed with that key (RFC 7523 §2.2, "
    "RFC 7662 §2.1)",
    Mechanism.CLIENT_SECRET_BASIC: "Basic credentials, each part form-urlencoded "
    "(RFC 6749 §2.3.1, RFC 7662 §2.1)",
}


def advice(key: str, subject: SubjectInfo | None, mode: str, result: CheckResult) -> str:
    """What to check for the cause ``key`` of ``result``, or '' when there is nothing to say."""
    if key == "grant-refused":
        return _grant(mode)
    name = subject.name if subject else (result.subject or "the API")
    mechanism = _mechanism(subject, result)
    if key == "api-credentials-refused" and mechanism in CREDENTIALS:
        placeholders, dotenv = CREDENTIALS[mechanism]
        told = _names(subject, placeholders, dotenv)
        then = f"sends them as {HOW_SENT[mechanism]}"
        return _said(name, "its API app's credentials", told, dotenv, mode, then)
    if key == "issuer-unreachable":
        told = _names(subject, *ISSUER)
        then = "that the issuer is reachable from this machine"
        return _said(name, "the issuer's URL", told, ISSUER[1], mode, then)
    return ""


def _grant(mode: str) -> str:
    if mode == "live":
        return f"Check the service users' settings in the .env: {GRANT_SETTINGS} (RFC 6749 §5.2)."
    return (
        "The mock issuer refused the harness's own token request, which no setting of yours "
        "makes: this is a fault of the harness; please report it with the run's JSON."
    )


def _said(
    name: str, what: str, told: tuple[str, ...], dotenv: tuple[str, ...], mode: str, then: str
) -> str:
    if not told:
        return (
            f"The subject file of {name} gives it none of {what}: add them to its [env] "
            "with placeholders (docs/subjects.md)."
        )
    theirs = ", ".join(told)
    if mode == "live":
        return f"Check {', '.join(dotenv)} in the .env ({name} reads {theirs}), and {then}."
    return (
        f"The harness gave {name} working values of {what} (the mock issuer's own) in "
        f"{theirs}: check that it reads them from there, and {then}."
    )


def _names(
    subject: SubjectInfo | None, placeholders: tuple[str, ...], dotenv: tuple[str, ...]
) -> tuple[str, ...]:
    """The subject's names for what ``placeholders`` fill; the .env's if it reads the .env."""
    if subject is None:
        return dotenv
    own = tuple(n for n in subject.named(*placeholders) if n != "its command line")
    if own:
        return own
    return dotenv if subject.named("env_file") else ()


def _mechanism(subject: SubjectInfo | None, result: CheckResult) -> Mechanism | None:
    if subject is not None:
        return Mechanism(subject.mechanism)
    slug = result.variant.split("-")[2] if result.variant.count("-") >= 2 else ""
    return next((m for m in Mechanism if m.short == slug), None)
