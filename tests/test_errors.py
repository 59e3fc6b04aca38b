"""Errors answer with a friendly page, or JSON when JSON was asked for; never a traceback."""

from tests.conftest import another_app
from tests.helpers import make_post


def test_404_page(client):
    response = client.get("/nowhere")
    assert response.status_code == 404 and "couldn&#39;t find that page" in response.get_data(as_text=True)


def test_404_as_json_when_asked(client):
    response = client.get("/nowhere", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == 404


def test_405_page(client):
    response = client.delete("/")
    assert response.status_code == 405 and "can&#39;t be used that way" in response.get_data(as_text=True)


def test_413_when_a_request_is_too_large(signed_in):
    response = signed_in.post("/posts/new", {"title": "big", "body": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413 and "too much to send" in response.get_data(as_text=True)


def test_500_is_friendly_and_logged(database_url, caplog):
    app = another_app({"SQLALCHEMY_DATABASE_URI": database_url, "PROPAGATE_EXCEPTIONS": False})

    @app.get("/boom")
    def boom():
        raise ZeroDivisionError("a bug")

    response = app.test_client().get("/boom")
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Something went wrong on our side" in html
    assert "ZeroDivisionError" not in html and "Traceback" not in html
    assert "Unhandled error on GET /boom" in caplog.text


def test_403_names_the_reason(signed_in, member):
    post = make_post(member)
    response = signed_in.post(f"/posts/{post.id}/heart", {"hearted": "1"})
    assert response.status_code == 403 and "Hearts are for other members" in response.get_data(as_text=True)


def test_429_when_the_rate_limit_is_reached(database_url):
    app = another_app({"SQLALCHEMY_DATABASE_URI": database_url, "RATELIMIT_ENABLED": True,
                       "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    statuses = [client.post("/login", data={"username": f"x{n}", "password": "y"}).status_code for n in range(21)]
    assert statuses[:20] == [200] * 20 and statuses[20] == 429
    assert "slow down" in client.post("/login", data={}).get_data(as_text=True)


def test_expired_csrf_on_a_button_explains_itself(signed_in, member):
    post = make_post(member)
    response = signed_in.client.post(f"/posts/{post.id}/heart", data={"csrf_token": "old"})
    assert response.status_code == 400 and "open for a long time" in response.get_data(as_text=True)

