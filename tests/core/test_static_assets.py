"""The pages' own stylesheet and the chart library are served from the installation (no CDN)."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/static/bookwise/app.css", "/static/vendor/plotly/plotly.min.js"])
def test_front_end_assets_are_served_locally(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1000


@pytest.mark.django_db
def test_pages_reference_no_remote_assets(org, login):
    page = login(org["M1"]).get("/").content.decode()
    assert "/static/bookwise/app.css" in page
    assert "https://" not in page and "http://" not in page.replace("http://testserver", "")
