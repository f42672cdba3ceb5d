"""`/docs` works with no network: the page and every asset it loads come from the API itself."""

from __future__ import annotations

import re

import pytest

from .conftest import Api

pytestmark = pytest.mark.anyio


async def test_the_openapi_page_loads_nothing_from_another_host(api: Api) -> None:
    page = await api.client.get("/docs")
    assert page.status_code == 200
    links = re.findall(r"""(?:src|href)=["']([^"']+)""", page.text)
    assert links and all(link.startswith("/docs/assets/") for link in links), links
    assert "url: '/openapi.json'" in page.text
    assert not re.search(r"https?://", page.text)


@pytest.mark.parametrize(
    ("asset", "kind"),
    [
        ("swagger-ui-bundle.js", "javascript"),
        ("swagger-ui.css", "text/css"),
        ("favicon.png", "png"),
    ],
)
async def test_each_asset_of_the_page_is_served(api: Api, asset: str, kind: str) -> None:
    response = await api.client.get(f"/docs/assets/{asset}")
    assert response.status_code == 200
    assert kind in response.headers["content-type"]
    assert len(response.content) > 1000


async def test_the_openapi_document_shows_the_bearer_scheme(api: Api) -> None:
    document = (await api.client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    assert document["components"]["securitySchemes"]
