"""Every form and JSON route, sent arbitrary and hostile values by Hypothesis, never answers a 500 (nor a 503:
the database is up), on SQLite and on PostgreSQL.

The routes are read from the app's URL map (every rule that takes POST), so a new form is fuzzed without anyone
listing it here. Each request is made as a signed-in member (a moderator for /moderation), with the valid CSRF
token a browser would send: CSRF stays on, and the values reach the views behind it. The field names are the
app's own form fields plus invented ones; the values are text of any kind (NUL, lone surrogates, emoji, control
characters), numbers as strings, ids no database holds, strings up to and past the size limit, and, in JSON
bodies, numbers, nulls, lists and nested objects where text belongs.

Bounded and repeatable: a few examples per route, derandomized, so the file runs in well under a minute on both
databases and CI sees the same examples every time.
"""
from __future__ import annotations

import json
import os
from urllib.parse import urlencode

import pytest
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from wtforms.fields.core import UnboundField

from forum import create_app
from forum.extensions import db
from forum.models import (
    AccessToken,
    FlagReason,
    MemberNotice,
    ModerationAction,
    ModerationItem,
    Post,
    Reply,
    Role,
    User,
    WatchedWord,
    WelfareCheck,
    utcnow,
)
from forum.safe_input import MAX_ID
from forum.services.flags import flag_content
from forum.services.moderation.actions import take_action
from forum.services.tokens import create_token
from forum.services.watched import add_watched_word
from tests.helpers import PASSWORD, Visitor, make_member, make_post, make_reply

#: Examples per route and database: 29 routes x 2 databases stay well under a minute (~30 s).
EXAMPLES_PER_ROUTE = int(os.environ.get("KINDRED_FUZZ_EXAMPLES", "8"))
#: A long hunt, unseeded: KINDRED_FUZZ_EXAMPLES=200 KINDRED_FUZZ_RANDOM=1 pytest tests/test_fuzz_routes.py -n 4
RANDOM = bool(os.environ.get("KINDRED_FUZZ_RANDOM"))


def post_routes():
    app = create_app({"FLASK_CONFIG": "testing"})
    return sorted((rule for rule in app.url_map.iter_rules() if "POST" in rule.methods), key=lambda rule: rule.rule)


ROUTES = post_routes()


def form_field_names() -> list[str]:
    """Every field name of every form in the app (the blueprints, imported above, define them)."""
    names, forms = set(), [FlaskForm]
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        names.update(name for name in dir(form) if isinstance(getattr(form, name, None), UnboundField))
    return sorted(names - {"csrf_token"})


FIELD_NAMES = form_field_names()

#: Values no honest browser sends, and a few it does.
ODD_VALUES = ["", " ", "\r\n", "\t", "0", "-1", "1", "2147483647", str(2**31), "9" * 23, "١٢", "1e309", "NaN",
              "true", "null", "[]", "{}", "#", "#" * 300, "<script>alert(1)</script>", "../../etc/passwd",
              "https://example.com/" * 5, "\u202e\u200b\ufeff", "I can't go on, I want to die.", "Depression",
              "spam", "other", "hide", "warn", "suspend", "open", "follow", "river_stone", "MapleAndTea"]
#: Up to and past the 1 MiB request limit (a 413), and past every field's own length.
HUGE = st.builds(lambda text, size: (text * size)[:size],
                 st.sampled_from(["a", "#", "é", "😊", "\n", "#a ", "I want to die. "]),
                 st.sampled_from([201, 2_001, 20_001, 200_000, 1_040_000]))
LONE_SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=3)
TEXT_VALUES = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=60),  # any code point but surrogates: NUL, controls, emoji, right-to-left
    st.integers().map(str),
    st.floats().map(str),
    st.builds(lambda a, b: a + b, st.text(max_size=10), LONE_SURROGATES),
    HUGE,
)
JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT_VALUES),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
FIELD_NAME = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12))
FORM_FIELDS = st.lists(st.tuples(FIELD_NAME, TEXT_VALUES), max_size=6)  # repeats allowed, as in a real query
#: Mostly a form's shape (names to text), which reaches the view; sometimes any JSON at all, which must not.
JSON_BODY = st.one_of(st.dictionaries(FIELD_NAME, TEXT_VALUES, max_size=6),
                      st.dictionaries(FIELD_NAME, JSON_VALUES, max_size=6), JSON_VALUES)


class World:
    """What the fuzzed forms act on: a member's and someone else's posts and replies, a flag in the moderation
    queue, a moderator's action and its notice to the member, a watched word."""

    def __init__(self):
        self.build()

    def build(self) -> None:
        self.member = make_member("river_stone")
        other = make_member("MapleAndTea")
        self.moderator = make_member("river_mod", Role.MODERATOR)
        own_post, others_post = make_post(self.member), make_post(other, title="Still here", tags="#Sleep")
        own_reply, others_reply = make_reply(self.member, others_post), make_reply(other, own_post)
        flag_content(other, own_reply, FlagReason.SPAM)
        flag_content(self.member, others_reply, FlagReason.SPAM)
        db.session.flush()
        item = db.session.scalars(select(ModerationItem).where(ModerationItem.reply_id == own_reply.id)).one()
        take_action(self.moderator, item, item.version, "warn", reason="Please keep it kind.")
        add_watched_word(self.moderator, "casino", "flag")
        create_token(self.member, "fuzzed script", "write")
        db.session.add(WelfareCheck(member_id=other.id, kind="post", categories=["suicide"], raised_at=utcnow()))
        db.session.commit()
        self.names = {"river_stone", "MapleAndTea", "river_mod"}

    def ids(self, model) -> list[int]:
        return list(db.session.scalars(select(model.id).order_by(model.id)))

    def intact(self) -> bool:
        db.session.expire_all()
        return set(db.session.scalars(select(User.username))) >= self.names

    def rebuild(self) -> None:
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        self.build()


#: Which table a URL's id names, by the argument's name.
ID_KINDS = {"post_id": Post, "reply_id": Reply, "item_id": ModerationItem, "action_id": ModerationAction,
            "word_id": WatchedWord, "notice_id": MemberNotice, "token_id": AccessToken, "check_id": WelfareCheck}


def url_values(rule, world: World):
    """A strategy for the rule's URL arguments: ids that exist (and some that don't), names, any text."""
    values = {}
    for name in rule.arguments:
        if name in ID_KINDS:
            values[name] = st.sampled_from([*world.ids(ID_KINDS[name]), 1, MAX_ID])
        elif name == "action":
            values[name] = st.sampled_from(["follow", "unfollow", "mute", "unmute"])
        else:  # a tag's name or a member's: ones that exist, and anything else a URL can carry
            values[name] = st.one_of(st.sampled_from(["Sleep", "Depression", *sorted(world.names)]),
                                     st.text(min_size=1, max_size=30))
    return st.fixed_dictionaries(values)


def send(visitor: Visitor, url: str, as_json: bool, body) -> int:
    token = visitor.token
    if as_json:
        data = json.dumps(body)  # lone surrogates travel escaped, as JSON allows
        return visitor.client.post(url, data=data, content_type="application/json",
                                   headers={"X-CSRFToken": token}).status_code
    # Encoded by hand so lone surrogates reach the app as the broken UTF-8 a hostile client would send.
    data = urlencode([("csrf_token", token), *body], errors="surrogatepass")
    return visitor.client.post(url, data=data, content_type="application/x-www-form-urlencoded").status_code


class Member:
    """The signed-in visitor, signed in again whenever a fuzzed form signed them out or deleted them."""

    def __init__(self, app, world: World, username: str):
        self.app, self.world, self.username = app, world, username
        self.visitor: Visitor | None = None

    def signed_in(self) -> Visitor:
        if not self.world.intact():
            self.world.rebuild()
            self.visitor = None
        if self.visitor is not None:
            with self.visitor.client.session_transaction() as session:
                if "_user_id" not in session or "csrf_token" not in session:
                    self.visitor = None
        if self.visitor is None:
            self.visitor = Visitor(self.app.test_client())
            self.visitor.post("/login", {"username": self.username, "password": PASSWORD})
        return self.visitor


FUZZ = settings(max_examples=EXAMPLES_PER_ROUTE, derandomize=not RANDOM, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large, HealthCheck.large_base_example])


@pytest.mark.parametrize("rule", ROUTES, ids=lambda rule: rule.rule)
def test_no_form_or_json_route_answers_a_server_error(app, rule):
    world = World()
    member = Member(app, world, "river_mod" if rule.rule.startswith("/moderation") else "river_stone")
    urls = app.url_map.bind("localhost")

    @FUZZ
    @given(arguments=url_values(rule, world), as_json=st.booleans(), data=st.data())
    def no_server_error(arguments, as_json, data):
        body = data.draw(JSON_BODY if as_json else FORM_FIELDS, label="body")
        url = urls.build(rule.endpoint, arguments)
        status = send(member.signed_in(), url, as_json, body)
        assert status < 500, f"POST {url} {'JSON' if as_json else 'form'}: {status}"

    no_server_error()
