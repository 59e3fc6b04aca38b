"""forum.links.link gives exactly what url_for gives, for any value, under any script root."""
import pytest
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum import create_app
from forum.links import link


@pytest.fixture(scope="module")
def app():
    """Links need no database: one app for the module, on both database runs alike."""
    return create_app({"FLASK_CONFIG": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


CASES = [("posts.show", "post_id"), ("posts.heart_reply", "reply_id"), ("people.profile", "username"),
         ("tags.show", "name"), ("flags.flag_reply", "reply_id")]


@pytest.mark.parametrize("script_root", ["", "/forum"])
@pytest.mark.parametrize(("endpoint", "name"), CASES)
def test_links_match_url_for(app, endpoint, name, script_root):
    values = [0, 1, 42, 2**40, "Depression", "quiet-harbour_7", "Ansiedad", "सहारा", "two words", "a/b", "%41",
              "918273645", "kindredlinkplaceholder"]
    for value in values:
        if isinstance(value, str) and name.endswith("_id"):
            continue
        with app.test_request_context("/", environ_overrides={"SCRIPT_NAME": script_root}):
            assert link(endpoint, **{name: value}) == url_for(endpoint, **{name: value}), value


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(name=st.text(min_size=1, max_size=20), number=st.integers(min_value=0, max_value=2**62))
def test_any_value_gives_the_same_link(app, name, number):
    with app.test_request_context("/"):
        assert link("tags.show", name=name) == url_for("tags.show", name=name)
        assert link("posts.show", post_id=number) == url_for("posts.show", post_id=number)
