"""Glue: a FastAPI API protected by fastapi-zitadel-auth (local validation of JWT access tokens).

Set up as the package's README shows it (`ZitadelAuth` as a security dependency); the scoped
route checks the project role in the user's claims, as its README's admin check does.
"""

import os
from typing import Annotated

import uvicorn
from fastapi import Depends, FastAPI, Security
from fastapi_zitadel_auth import ZitadelAuth
from fastapi_zitadel_auth.exceptions import ForbiddenException
from fastapi_zitadel_auth.user import DefaultZitadelUser

zitadel_auth = ZitadelAuth(
    issuer_url=os.environ["ISSUER"],
    project_id=os.environ["PROJECT_ID"],
    app_client_id=os.environ["APP_CLIENT_ID"],
    allowed_scopes={"openid": "OpenID Connect"},
)
ROLE = os.environ.get("ROLE", "read:messages")
User = Annotated[DefaultZitadelUser, Security(zitadel_auth)]
app = FastAPI()


def require_role(user: User) -> DefaultZitadelUser:
    if ROLE not in user.claims.project_roles:
        raise ForbiddenException(f"Missing role {ROLE}")
    return user


@app.get("/api/public")
def public() -> dict[str, str]:
    return {"message": "public"}


@app.get("/api/private")
def private(user: User) -> dict[str, str]:
    return {"message": "private", "sub": user.claims.sub}


@app.get("/api/private-scoped")
def private_scoped(user: Annotated[DefaultZitadelUser, Depends(require_role)]) -> dict[str, str]:
    return {"message": "private and scoped", "sub": user.claims.sub}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]))
