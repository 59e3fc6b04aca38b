"""What a signed-in member is shown is never kept by a browser's or a proxy's cache; HTTPS is pinned in
production only."""
import pytest

from forum import create_app
from tests.helpers import make_post

PRIVATE_PAGES = ["/settings", "/settings/export", "/settings/delete", "/notices", "/notifications",
                 "/notifications/settings", "/moderation/"]
PUBLIC_PAGES = ["/", "/help", "/tags", "/u/river_stone"]


def no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_stay_cacheable_for_visitors(client, member, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not no_store(response)


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_page_a_member_is_shown_is_not_stored(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert no_store(response)


def test_a_post_page_for_a_member_is_not_stored(signed_in, member):
    post = make_post(member)
    assert no_store(signed_in.get(f"/posts/{post.id}"))


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_private_pages_are_not_stored_even_on_the_way_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert no_store(response)


@pytest.mark.parametrize("path", PRIVATE_PAGES)
def test_private_pages_are_not_stored(mod_visitor, path):
    response = mod_visitor.get(path)
    assert response.status_code == 200
    assert no_store(response)


def test_static_files_stay_cacheable_for_members(signed_in):
    with signed_in.get("/static/css/kindred.css") as response:
        assert not no_store(response)


def test_no_strict_transport_security_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/help").headers


def test_production_pins_https():
    app = create_app({"FLASK_CONFIG": "production", "SECRET_KEY": "k" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_client().get("/static/css/kindred.css") as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
