"""Glue: a Flask API protected by Authlib's ResourceProtector with an IntrospectTokenValidator.

`introspect_token` is the one method Authlib asks the developer to write; it is written here
as Authlib's own docstring shows it (requests, raise_for_status, resp.json()), authenticated
with client_secret_basic. The scoped route asks Authlib for the role as a scope.
"""

import os

import requests
from authlib.integrations.flask_oauth2 import ResourceProtector, current_token
from authlib.oauth2.rfc7662 import IntrospectTokenValidator
from flask import Flask, jsonify


class ZitadelIntrospection(IntrospectTokenValidator):
    def introspect_token(self, token_string):
        resp = requests.post(
            os.environ["INTROSPECTION_ENDPOINT"],
            data={"token": token_string, "token_type_hint": "access_token"},
            auth=(os.environ["API_CLIENT_ID"], os.environ["API_CLIENT_SECRET"]),
        )
        resp.raise_for_status()
        return resp.json()


require_oauth = ResourceProtector()
require_oauth.register_token_validator(ZitadelIntrospection())
app = Flask(__name__)


@app.get("/api/public")
def public():
    return jsonify(message="public")


@app.get("/api/private")
@require_oauth()
def private():
    return jsonify(message="private", sub=current_token.get("sub"))


@app.get("/api/private-scoped")
@require_oauth(os.environ.get("ROLE", "read:messages"))
def private_scoped():
    return jsonify(message="private and scoped", sub=current_token.get("sub"))


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]))
