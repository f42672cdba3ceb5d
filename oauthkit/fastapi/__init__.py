"""oauthkit's FastAPI integration: the sample APIs' apps, their token dependency, their routes
and their command line.

| module | what it holds |
|---|---|
| `app` | `create_api`, `create_local_jwt_api`, `build_api`, the one error handler |
| `guard` | `require_token(roles=...)`, and the guards that decide a request's token |
| `bearer_docs`, `openapi_page` | the bearer scheme in the OpenAPI document; `/docs` offline |
| `routes` | the example routes every sample API serves |
| `serve` | `run_api`: the command line of the APIs (uvicorn on a socket bound first) |

Use these names from `oauthkit.fastapi`; the modules are its inside.
"""

from oauthkit.fastapi.app import build_api, create_api, create_local_jwt_api, render_error
from oauthkit.fastapi.guard import (
    Guard,
    GuardFactory,
    LocalJwtGuard,
    TokenGuard,
    bearer_token,
    require_token,
)
from oauthkit.fastapi.routes import READ_MESSAGES, example_router
from oauthkit.fastapi.serve import api_parser, run_api

__all__ = [
    "READ_MESSAGES",
    "Guard",
    "GuardFactory",
    "LocalJwtGuard",
    "TokenGuard",
    "api_parser",
    "bearer_token",
    "build_api",
    "create_api",
    "create_local_jwt_api",
    "example_router",
    "render_error",
    "require_token",
    "run_api",
]
