"""Who may open what: every route in the URL map, requested by every kind of visitor, against a table.

The routes come from the app's URL map, so a route nobody wrote an entry for fails
`test_every_route_has_an_entry`. To add one, add a line to EXPECTED:

    "GET  blueprint.endpoint":  "ok  in  ok  ok  ok  ok  ok",

one outcome per role, in the order of ROLES: a visitor who isn't signed in, the member who flagged the
content, the content's author, another member with nothing to do with it, a moderator, an admin, and a
suspended member. If the rule has a URL variable no other route has, say what to fill it with in
`url_values()`. Outcomes:

    ok   let through: the page, a redirect elsewhere than sign-in, or the form's own 400/422 (which is
         also how a suspended member is told their account is paused)
    in   sent to sign in (or a 401 from the JSON API)
    no   403: signed in but not allowed
    nf   404: as if it weren't there (what we answer when saying "not allowed" would tell too much)

The members sign in once; the content is a little world: an author's post (#Depression) with a reply, a flag on
it from the flagging member with its moderation item, a second post a moderator hid (an undoable action
and a notice to the author), and a watched word. POSTs carry a valid CSRF token and no other fields, so
an allowed form answers with its validation message and changes nothing; a button that did change
something (a redirect) gets fresh content before the next role tries it. SQLite only: this is about the code's
rules, which don't change with the database.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, event, select, update

from forum import create_app
from forum.extensions import db
from forum.models import FlagReason, MemberNotice, ModerationItem, Role, User, WelfareCheck, utcnow
from forum.services.flags import flag_content
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.tokens import create_token
from forum.services.watched import add_watched_word
from tests.conftest import RequestInItsOwnContext
from tests.helpers import PASSWORD, Visitor, make_member, make_post, make_reply

ROLES = ("anonymous", "flagger", "author", "other", "moderator", "admin", "suspended")

#: "METHOD endpoint": one outcome per role, in the order of ROLES.
EXPECTED = {
    # Public pages: open to everyone.
    "GET  feed.latest":                   "ok  ok  ok  ok  ok  ok  ok",
    "GET  feed.needs_reply":              "ok  ok  ok  ok  ok  ok  ok",
    "GET  help.index":                    "ok  ok  ok  ok  ok  ok  ok",
    "GET  static":                        "ok  ok  ok  ok  ok  ok  ok",
    "GET  tags.index":                    "ok  ok  ok  ok  ok  ok  ok",
    "GET  tags.show":                     "ok  ok  ok  ok  ok  ok  ok",
    "GET  posts.show":                    "ok  ok  ok  ok  ok  ok  ok",
    "GET  posts.reply_link":              "ok  ok  ok  ok  ok  ok  ok",
    "GET  people.profile":                "ok  ok  ok  ok  ok  ok  ok",
    "POST api.crisis_check":              "in  ok  ok  ok  ok  ok  ok",
    # Joining and signing in: for visitors; members are sent on.
    "GET  auth.login":                    "ok  ok  ok  ok  ok  ok  ok",
    "POST auth.login":                    "ok  ok  ok  ok  ok  ok  ok",
    "GET  auth.register":                 "ok  ok  ok  ok  ok  ok  ok",
    "POST auth.register":                 "ok  ok  ok  ok  ok  ok  ok",
    "POST auth.logout":                   "in  ok  ok  ok  ok  ok  ok",
    # A member's own pages.
    "GET  tags.my_tags":                  "in  ok  ok  ok  ok  ok  ok",
    "POST tags.change_mode":              "in  ok  ok  ok  ok  ok  ok",
    "GET  people.settings":               "in  ok  ok  ok  ok  ok  ok",
    "POST people.settings":               "in  ok  ok  ok  ok  ok  ok",
    "GET  people.delete_account_view":    "in  ok  ok  ok  ok  ok  ok",
    "POST people.delete_account_view":    "in  ok  ok  ok  ok  ok  ok",
    "GET  people.export":                 "in  ok  ok  ok  ok  ok  ok",
    "GET  people.notices":                "in  ok  ok  ok  ok  ok  ok",
    "GET  notifications.index":           "in  ok  ok  ok  ok  ok  ok",
    "POST notifications.read":            "in  ok  ok  ok  ok  ok  ok",
    "GET  notifications.settings":        "in  ok  ok  ok  ok  ok  ok",
    "POST notifications.settings":        "in  ok  ok  ok  ok  ok  ok",
    # A notice belongs to the member it was sent to; anyone else finds nothing.
    "POST people.request_review":         "in  nf  ok  nf  nf  nf  nf",
    # A flag's thank-you page belongs to the flagger.
    "GET  flags.thanks":                  "in  ok  nf  nf  nf  nf  nf",
    # Writing: members; a suspended member is told on the form that their account is paused (422).
    "GET  posts.new":                     "in  ok  ok  ok  ok  ok  ok",
    "POST posts.new":                     "in  ok  ok  ok  ok  ok  ok",
    "POST posts.reply":                   "in  ok  ok  ok  ok  ok  ok",
    # Hearts: anyone signed in and not suspended, never one's own words.
    "POST posts.heart_post":              "in  ok  no  ok  ok  ok  no",
    "POST posts.heart_reply":             "in  ok  no  ok  ok  ok  no",
    "POST posts.thank_everyone_view":     "in  no  ok  no  no  no  no",
    # Flags: others' words, once; the flagger has already flagged the post and is sent back to it.
    "GET  flags.flag_post":               "in  ok  no  ok  ok  ok  no",
    "POST flags.flag_post":               "in  ok  no  ok  ok  ok  no",
    "GET  flags.flag_reply":              "in  ok  no  ok  ok  ok  no",
    "POST flags.flag_reply":              "in  ok  no  ok  ok  ok  no",
    # Editing and deleting: only the author, moderators included.
    "GET  posts.edit":                    "in  no  ok  no  no  no  no",
    "POST posts.edit":                    "in  no  ok  no  no  no  no",
    "GET  posts.delete":                  "in  no  ok  no  no  no  no",
    "POST posts.delete":                  "in  no  ok  no  no  no  no",
    "GET  posts.edit_reply_view":         "in  no  ok  no  no  no  no",
    "POST posts.edit_reply_view":         "in  no  ok  no  no  no  no",
    "GET  posts.delete_reply_view":       "in  no  ok  no  no  no  no",
    "POST posts.delete_reply_view":       "in  no  ok  no  no  no  no",
    # Blocking: another member, never oneself; staff can't be blocked (a form message, not a refusal).
    "POST people.block_member":           "in  ok  ok  ok  ok  ok  ok",
    "POST people.unblock_member":         "in  ok  ok  ok  ok  ok  ok",
    # Moderation: moderators and admins only.
    "GET  moderation.queue":              "in  no  no  no  ok  ok  no",
    "GET  moderation.item":               "in  no  no  no  ok  ok  no",
    "POST moderation.act":                "in  no  no  no  ok  ok  no",
    "POST moderation.verdict":            "in  no  no  no  ok  ok  no",
    "POST moderation.undo":               "in  no  no  no  ok  ok  no",
    "GET  moderation.log":                "in  no  no  no  ok  ok  no",
    "GET  moderation.history":            "in  no  no  no  ok  ok  no",
    "GET  moderation.health":             "in  no  no  no  ok  ok  no",
    "POST moderation.welfare_done":       "in  no  no  no  ok  ok  no",
    "POST moderation.welfare_message":    "in  no  no  no  ok  ok  no",
    "GET  moderation_rules.words":        "in  no  no  no  ok  ok  no",
    "POST moderation_rules.add_word":     "in  no  no  no  ok  ok  no",
    "POST moderation_rules.delete_word":  "in  no  no  no  ok  ok  no",
    "GET  moderation_rules.tags":         "in  no  no  no  ok  ok  no",
    "POST moderation_rules.merge":        "in  no  no  no  ok  ok  no",
    "POST moderation_rules.rename":       "in  no  no  no  ok  ok  no",
    # Search and treatment guides: public, like the pages they point to.
    "GET  search.index":                  "ok  ok  ok  ok  ok  ok  ok",
    "GET  guides.index":                  "ok  ok  ok  ok  ok  ok  ok",
    "GET  guides.show":                   "ok  ok  ok  ok  ok  ok  ok",
    "POST help.choose_country":           "ok  ok  ok  ok  ok  ok  ok",
    # The account's own settings; forgetting a password is for anyone.
    "GET  account.forgot_password":       "ok  ok  ok  ok  ok  ok  ok",
    "POST account.forgot_password":       "ok  ok  ok  ok  ok  ok  ok",
    "GET  account.password":              "in  ok  ok  ok  ok  ok  ok",
    "POST account.password":              "in  ok  ok  ok  ok  ok  ok",
    "GET  account.recovery_code":         "in  ok  ok  ok  ok  ok  ok",
    "POST account.recovery_code":         "in  ok  ok  ok  ok  ok  ok",
    "POST account.sign_out_everywhere":   "in  in  in  in  in  in  in",  # done: sent to sign in again
    "GET  account.username":              "in  ok  ok  ok  ok  ok  ok",
    "POST account.username":              "in  ok  ok  ok  ok  ok  ok",
    # Personal access tokens: a member's own; someone else's token is not there for them.
    "GET  api_tokens.index":              "in  ok  ok  ok  ok  ok  ok",
    "POST api_tokens.index":              "in  ok  ok  ok  ok  ok  ok",
    "POST api_tokens.revoke":             "in  nf  ok  nf  nf  nf  nf",
    # The JSON API: reading as the site does; writing as a member. Sent here without a JSON body, a write
    # that takes one answers 400 before it weighs who asks (nothing changes); tests/test_api.py sends bodies
    # and checks each refusal (own words, suspended members) route by route.
    "GET  api.docs":                      "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.openapi_document":       "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.latest_posts":           "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.post":                   "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.search":                 "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.tags":                   "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.tagged_posts":           "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.member":                 "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.member_posts":           "ok  ok  ok  ok  ok  ok  ok",
    "GET  api_v1.notifications":          "in  ok  ok  ok  ok  ok  ok",
    "POST api_v1.mark_notifications_read": "in  ok  ok  ok  ok  ok  ok",
    "POST api_v1.create_post_view":       "in  ok  ok  ok  ok  ok  ok",
    "POST api_v1.create_reply_view":      "in  ok  ok  ok  ok  ok  ok",
    "POST api_v1.flag_post":              "in  ok  ok  ok  ok  ok  ok",
    "POST api_v1.flag_reply":             "in  ok  ok  ok  ok  ok  ok",
    "PUT  api_v1.heart_post":             "in  ok  no  ok  ok  ok  no",
    "DELETE api_v1.heart_post":           "in  ok  no  ok  ok  ok  no",
    "PUT  api_v1.heart_reply":            "in  ok  no  ok  ok  ok  no",
    "DELETE api_v1.heart_reply":          "in  ok  no  ok  ok  ok  no",
}


def routes(app) -> list[tuple[str, str]]:
    """Every (method, endpoint) the app answers, HEAD and OPTIONS aside (Flask answers those itself)."""
    found = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            found.add((method, rule.endpoint))
    return sorted(found, key=lambda pair: (pair[1], pair[0]))


def expected_outcomes() -> dict[tuple[str, str], dict[str, str]]:
    table = {}
    for key, outcomes in EXPECTED.items():
        method, endpoint = key.split()
        table[(method, endpoint)] = dict(zip(ROLES, outcomes.split(), strict=True))
    return table


@pytest.fixture(scope="module")
def matrix_app(tmp_path_factory):
    app = create_app({"FLASK_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'db.sqlite3'}"})
    app.test_client_class = RequestInItsOwnContext
    with app.app_context():
        # Thousands of small commits: not waiting for the disk on each keeps the whole matrix quick.
        event.listen(db.engine, "connect", lambda connection, _: connection.execute("PRAGMA synchronous=OFF"))
        db.engine.dispose()
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


class World:
    """The members (made once, each signed in on their own client) and fresh content for each route."""

    def __init__(self, app):
        self.app = app
        self.people = {role: make_member(f"{role}_m", {"moderator": Role.MODERATOR, "admin": Role.ADMIN}
                                         .get(role, Role.MEMBER)) for role in ROLES[1:]}
        self.member_ids = {member.id for member in self.people.values()}
        self.sign_everyone_in()

    def sign_everyone_in(self) -> None:
        self.visitors = {role: Visitor(self.app.test_client()) for role in ROLES}
        for role, visitor in self.visitors.items():
            if role != "anonymous":
                response = visitor.post("/login", {"username": self.people[role].username, "password": PASSWORD})
                assert response.status_code == 302, f"{role} could not sign in"
                visitor._token = None  # signing in starts a new session, with a new token

    def renew(self) -> dict[str, object]:
        """Empty every table but the members', set the members back, and make the content; return URL values."""
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in ("users", "sign_ins"):  # the members and their sign-ins stay
                db.session.execute(delete(table))
        db.session.execute(delete(User).where(User.id.not_in(self.member_ids)))
        db.session.execute(update(User).values(suspended_until=None, bio="", pronouns=""))
        db.session.execute(update(User).where(User.id == self.people["suspended"].id)
                           .values(suspended_until=utcnow() + timedelta(days=3)))
        db.session.commit()
        people = {role: db.session.get(User, member.id) for role, member in self.people.items()}
        post = make_post(people["author"], title="Needs a look", body="Words to look at. #Depression")
        reply = make_reply(people["author"], post, body="And a reply of mine.")
        flag = flag_content(people["flagger"], post, FlagReason.SPAM)
        hidden = make_post(people["author"], title="Hidden one", body="A moderator hid this.")
        item = add_reason(hidden, "flag", {"label": "Spam"}, 10)
        action = take_action(people["moderator"], item, item.version, "hide", reason="Testing the matrix")
        word = add_watched_word(people["moderator"], "buy followers", "flag")
        token, _secret = create_token(people["author"], "matrix", "read")
        check = WelfareCheck(member_id=people["author"].id, kind="post", categories=["suicide"], raised_at=utcnow())
        db.session.add(check)
        db.session.commit()
        notice = db.session.scalars(select(MemberNotice).where(MemberNotice.action_id == action.id)).one()
        post_item = db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == post.id)).one()
        return url_values(post, reply, flag, post_item, action, word, notice) | {"token_id": token.id,
                                                                                 "check_id": check.id}


def url_values(post, reply, flag, item, action, word, notice) -> dict[str, object]:
    """What to put in each URL variable; a new variable name needs a line here."""
    return {"post_id": post.id, "reply_id": reply.id, "flag_id": flag.id, "item_id": item.id,
            "action_id": action.id, "word_id": word.id, "notice_id": notice.id, "kind": "post",
            "content_id": post.id, "username": post.author.username, "name": "Depression", "action": "follow",
            "filename": "css/kindred.css", "slug": "levels-of-care"}


def outcome_of(response) -> str:
    status = response.status_code
    if status == 401 or (status in (301, 302, 303) and "/login" in response.headers.get("Location", "")):
        return "in"
    if status < 400 or status in (400, 422):
        return "ok"
    return {403: "no", 404: "nf"}.get(status, str(status))


def test_every_route_has_an_entry_and_every_entry_a_route(matrix_app):
    answered = set(routes(matrix_app))
    listed = set(expected_outcomes())
    assert sorted(answered - listed) == [], "new routes: add a line to EXPECTED for each (see the docstring)"
    assert sorted(listed - answered) == [], "EXPECTED lists routes the app no longer has"


def test_every_route_answers_every_role_as_the_table_says(matrix_app):
    table = expected_outcomes()
    adapter = matrix_app.url_map.bind("localhost")
    world = World(matrix_app)
    misses = []
    order = ROLES
    # Content is made afresh only after a request that may have changed it (a POST answered with a
    # redirect): a page, a refusal or a form's validation message leaves it as it was.
    changed, values = True, {}
    for method, endpoint in routes(matrix_app):
        if (method, endpoint) not in table:
            continue  # reported by the test above
        rule = next(rule for rule in matrix_app.url_map.iter_rules(endpoint) if method in rule.methods)
        for role in order:
            if changed:
                values = world.renew()
            url = adapter.build(endpoint, {name: values[name] for name in rule.arguments}, method=method)
            visitor = world.visitors[role]
            if method == "GET":
                response = visitor.get(url)
            else:  # forms read the token from the body, the JSON API from the header
                response = visitor.client.open(url, method=method, data={"csrf_token": visitor.token},
                                               headers={"X-CSRFToken": visitor.token})
            got, wanted = outcome_of(response), table[(method, endpoint)][role]
            if got != wanted:
                misses.append(f"{method} {endpoint} as {role}: expected {wanted}, got {got} ({response.status_code})")
            changed = method == "POST" and 300 <= response.status_code < 400
            response.close()  # static files are streamed from an open file
        if endpoint in ("auth.logout", "account.sign_out_everywhere"):
            world.sign_everyone_in()
            changed = True
    assert misses == [], "\n".join(misses)
