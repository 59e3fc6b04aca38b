"""Write limits belong to the member, not to the address: people behind one address (a clinic's wifi, one NAT,
a proxy not yet trusted) each have their own hourly posts, replies, hearts and flags, on the site and the API
alike, and on Redis as in memory."""
from __future__ import annotations

import os
import uuid

import pytest

from forum.extensions import limiter
from tests.api_support import ApiClient
from tests.helpers import Visitor, make_member, make_post
from tests.test_faults import app_with

REPLIES_AN_HOUR = 60
STORAGES = ["memory://"] + ([os.environ["TEST_REDIS_URL"]] if os.environ.get("TEST_REDIS_URL") else [])


@pytest.fixture(params=STORAGES, ids=lambda url: url.split(":")[0])
def limited(request, app, database_url):
    """An app whose limits are on; its own key prefix, so counts in a shared Redis start at nothing."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the limits are the same whatever the database; once is enough")
    prefix = f"test-{uuid.uuid4().hex}"
    # Flask-Limiter keeps the first key prefix a process gives it (`self._key_prefix or config[...]`), so in a
    # test process every app shared the first app's: on Redis, another test's member with the same id had
    # already used this member's replies. Each app here starts from its own prefix.
    limiter._key_prefix = None
    return app_with(database_url, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=request.param,
                    RATELIMIT_KEY_PREFIX=prefix)


@pytest.fixture
def busy_post(member, other_member):
    """Someone else's post for the member to answer."""
    return make_post(other_member, title="Long week", body="Anyone else up? #Sleep")


def reply_until_refused(limited, member, post_id: int) -> list[int]:
    site = Visitor(limited.test_client())
    site.sign_in(member.username)
    api = ApiClient(limited, "write_token", member)
    half = REPLIES_AN_HOUR // 2
    return ([site.post(f"/posts/{post_id}/replies", {"body": f"Site reply {i}"}).status_code for i in range(half)]
            + [api.post(f"/posts/{post_id}/replies", json={"body": f"API reply {i}"}).status_code
               for i in range(half + 1)])


def test_a_member_who_used_their_replies_is_refused_the_next(limited, member, busy_post):
    statuses = reply_until_refused(limited, member, busy_post.id)
    assert statuses == [302] * 30 + [201] * 30 + [429]


def test_someone_else_at_the_same_address_still_replies_on_the_site(limited, member, busy_post):
    reply_until_refused(limited, member, busy_post.id)
    neighbour = make_member("tidepool_too")
    site = Visitor(limited.test_client())
    site.sign_in(neighbour.username)
    assert site.post(f"/posts/{busy_post.id}/replies", {"body": "I'm up too."}).status_code == 302


def test_someone_else_at_the_same_address_still_replies_with_a_token(limited, member, busy_post):
    reply_until_refused(limited, member, busy_post.id)
    api = ApiClient(limited, "write_token", make_member("tidepool_too"))
    assert api.post(f"/posts/{busy_post.id}/replies", json={"body": "I'm up too."}).status_code == 201


def test_posts_hearts_and_flags_are_counted_per_member_too(limited, member, other_member, busy_post):
    """Each limit once at its edge: the member's next write is refused, a neighbour's isn't."""
    mine, theirs = ApiClient(limited, "write_token", member), ApiClient(limited, "write_token", other_member)
    neighbours_post = make_post(make_member("tidepool_too"), title="Hello", body="New here.")
    posted = [mine.post("/posts", json={"title": f"Night {i}", "body": "Words."}).status_code for i in range(31)]
    assert posted[-2:] == [201, 429]
    assert theirs.post("/posts", json={"title": "Mine", "body": "Words."}).status_code == 201
    hearted = [mine.call("PUT" if i % 2 == 0 else "DELETE", f"/posts/{neighbours_post.id}/heart").status_code
               for i in range(301)]
    assert hearted[-2:] == [200, 429]
    assert theirs.call("PUT", f"/posts/{neighbours_post.id}/heart").status_code == 200
    targets = [make_post(other_member, title=f"To flag {i}", body="Words.") for i in range(61)]
    flagged = [mine.post(f"/posts/{target.id}/flags", json={"reason": "spam"}).status_code for target in targets]
    assert flagged[-2:] == [201, 429]
    assert theirs.post(f"/posts/{neighbours_post.id}/flags", json={"reason": "spam"}).status_code == 201
