"""The site's own errors carry the right status and a styled, helpful page."""

import pytest
from django.test import RequestFactory

from refsite.core.views import server_error

pytestmark = pytest.mark.django_db


def test_unknown_path_is_a_styled_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>404 Not Found</h1>" in html
    assert "site.css" in html


def test_server_error_page_is_500_and_needs_no_database():
    request = RequestFactory().get("/")
    response = server_error(request)
    assert response.status_code == 500
    assert "500 Internal Server Error" in response.content.decode()


def test_405_page_names_the_allowed_methods(client):
    response = client.put("/4xx/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "<code>GET, HEAD</code>" in response.content.decode()
