"""Schema and content checks for the demo community (forum/demo/content.toml).

`flask seed-demo` loads that file; these tests keep it loadable and keep it
looking like a real, kind, safely-written peer-support community.
"""

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

CONTENT_PATH = Path(__file__).parents[1] / "forum/demo/content.toml"

USERNAME_RE = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
HASHTAG_RE = re.compile(r"#[A-Za-z][A-Za-z0-9_]*")
TAG_TOKEN_RE = re.compile(r"^#?[A-Za-z][A-Za-z0-9_]*$")
ROLES = {"member", "moderator", "admin"}

MEMBER_FIELDS = {"username", "role", "joined_days_ago", "bio"}
POST_FIELDS = {"key", "author", "days_ago", "title", "body", "tags", "hearts", "replies"}
REPLY_FIELDS = {"author", "hours_after", "body", "hearts", "key", "reply_to"}

CORE_TAGS = [
    "Depression", "Anxiety", "PTSD", "Addiction", "Recovery", "BipolarDisorder",
    "ChronicPain", "Sobriety", "Grief", "Insomnia", "Therapy", "Medication", "OCD",
    "EatingDisorderRecovery", "SelfCare", "Gratitude", "Introductions", "Poetry",
]

# Safe-messaging guard: phrases that should never appear in demo content.
UNSAFE_PHRASES = [
    "kill myself", "killing myself", "end my life", "ending my life", "end it all",
    "want to die", "wanna die", "better off dead", "suicide", "suicidal",
    "self-harm", "self harm", "overdose", "cutting myself", "hurt myself",
    "pills", "relapsed on", "no reason to live",
]


@pytest.fixture(scope="module")
def content():
    with CONTENT_PATH.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def members(content):
    return content["members"]


@pytest.fixture(scope="module")
def posts(content):
    return content["posts"]


@pytest.fixture(scope="module")
def replies(posts):
    return [(post, reply) for post in posts for reply in post.get("replies", [])]


@pytest.fixture(scope="module")
def usernames(members):
    return {m["username"] for m in members}


def _all_hearts(posts):
    """Yield (author, hearts, label) for every post and reply."""
    for post in posts:
        yield post["author"], post.get("hearts", []), f"post {post['key']}"
        for i, reply in enumerate(post.get("replies", [])):
            yield reply["author"], reply.get("hearts", []), f"post {post['key']} reply #{i}"


def _all_text(members, posts):
    for m in members:
        yield f"bio of {m['username']}", m.get("bio", "")
    for post in posts:
        yield f"post {post['key']}", post["title"] + "\n" + post["body"]
        for i, reply in enumerate(post.get("replies", [])):
            yield f"post {post['key']} reply #{i}", reply["body"]


# ---------------------------------------------------------------- counts ---

def test_member_count_in_range(members):
    assert 12 <= len(members) <= 14


def test_post_count_in_range(posts):
    assert 38 <= len(posts) <= 45


def test_reply_count_in_range(replies):
    assert 140 <= len(replies) <= 170


def test_heart_total_is_generous(posts):
    total = sum(len(hearts) for _, hearts, _ in _all_hearts(posts))
    assert total >= 300


# --------------------------------------------------------------- schema ---

def test_no_unknown_fields(members, posts):
    for m in members:
        assert set(m) <= MEMBER_FIELDS, m
    for post in posts:
        assert set(post) <= POST_FIELDS, post["key"]
        for reply in post.get("replies", []):
            assert set(reply) <= REPLY_FIELDS, (post["key"], reply)


def test_required_fields_present(members, posts):
    for m in members:
        assert {"username", "role", "joined_days_ago"} <= set(m), m
    for post in posts:
        assert {"key", "author", "days_ago", "title", "body"} <= set(post), post
        for reply in post.get("replies", []):
            assert {"author", "hours_after", "body"} <= set(reply), (post["key"], reply)


def test_field_types(members, posts):
    for m in members:
        assert isinstance(m["joined_days_ago"], int) and m["joined_days_ago"] >= 0
        assert isinstance(m.get("bio", ""), str) and len(m.get("bio", "")) <= 200
    for post in posts:
        assert isinstance(post["days_ago"], (int, float))
        assert isinstance(post.get("hearts", []), list)
        assert isinstance(post.get("tags", ""), str)
        for reply in post.get("replies", []):
            assert isinstance(reply["hours_after"], (int, float))
            assert isinstance(reply.get("hearts", []), list)


# -------------------------------------------------------------- members ---

def test_usernames_match_pattern(members):
    bad = [m["username"] for m in members if not USERNAME_RE.match(m["username"])]
    assert not bad


def test_usernames_unique_case_insensitive(members):
    counts = Counter(m["username"].lower() for m in members)
    assert not [name for name, n in counts.items() if n > 1]


def test_roles_are_valid(members):
    assert {m["role"] for m in members} <= ROLES


def test_has_at_least_one_moderator(members):
    assert sum(m["role"] == "moderator" for m in members) >= 1


def test_has_at_least_one_admin(members):
    assert sum(m["role"] == "admin" for m in members) >= 1


def test_every_member_authors_something(members, posts):
    authors = {p["author"] for p in posts}
    authors |= {r["author"] for p in posts for r in p.get("replies", [])}
    post_authors = {p["author"] for p in posts}
    silent = [m["username"] for m in members if m["username"] not in authors]
    assert not silent
    # Every member has at least one post of their own, too.
    assert not [m["username"] for m in members if m["username"] not in post_authors]


def test_members_active_only_after_joining(members, posts):
    joined = {m["username"]: m["joined_days_ago"] for m in members}
    for post in posts:
        assert post["days_ago"] < joined[post["author"]], post["key"]
        for reply in post.get("replies", []):
            reply_days_ago = post["days_ago"] - reply["hours_after"] / 24
            assert reply_days_ago < joined[reply["author"]], (post["key"], reply["author"])


# -------------------------------------------------------------- authors ---

def test_post_authors_exist(posts, usernames):
    assert not [p["key"] for p in posts if p["author"] not in usernames]


def test_reply_authors_exist(replies, usernames):
    assert not [(p["key"], r["author"]) for p, r in replies if r["author"] not in usernames]


# --------------------------------------------------------------- hearts ---

def test_hearters_exist(posts, usernames):
    unknown = [(label, h) for _, hearts, label in _all_hearts(posts) for h in hearts
               if h not in usernames]
    assert not unknown


def test_no_one_hearts_their_own_content(posts):
    own = [label for author, hearts, label in _all_hearts(posts) if author in hearts]
    assert not own


def test_no_duplicate_hearts(posts):
    dupes = [label for _, hearts, label in _all_hearts(posts) if len(hearts) != len(set(hearts))]
    assert not dupes


# -------------------------------------------------------------- lengths ---

def test_title_lengths(posts):
    assert not [p["key"] for p in posts if not 1 <= len(p["title"].strip()) <= 150]


def test_post_body_lengths(posts):
    assert not [p["key"] for p in posts if not 1 <= len(p["body"].strip()) <= 20000]


def test_reply_body_lengths(replies):
    assert not [p["key"] for p, r in replies if not 1 <= len(r["body"].strip()) <= 10000]


# ----------------------------------------------------------------- keys ---

def test_post_keys_unique(posts):
    counts = Counter(p["key"] for p in posts)
    assert not [k for k, n in counts.items() if n > 1]


def test_post_keys_are_slugs(posts):
    assert not [p["key"] for p in posts if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p["key"])]


def test_reply_keys_unique_within_post(posts):
    for post in posts:
        keys = [r["key"] for r in post.get("replies", []) if "key" in r]
        assert len(keys) == len(set(keys)), post["key"]


# ------------------------------------------------------------- threading ---

def test_reply_to_refers_to_top_level_reply_of_same_post(posts):
    for post in posts:
        top_level_keys = {r["key"] for r in post.get("replies", [])
                          if "key" in r and "reply_to" not in r}
        for reply in post.get("replies", []):
            if "reply_to" in reply:
                assert reply["reply_to"] in top_level_keys, (post["key"], reply["reply_to"])


def test_nested_replies_come_after_their_parent(posts):
    for post in posts:
        by_key = {r["key"]: r for r in post.get("replies", []) if "key" in r}
        for reply in post.get("replies", []):
            if "reply_to" in reply:
                assert reply["hours_after"] > by_key[reply["reply_to"]]["hours_after"], post["key"]


def test_some_replies_are_nested(replies):
    assert sum("reply_to" in r for _, r in replies) >= 10


# ---------------------------------------------------------------- times ---

def test_post_days_ago_spread_over_about_sixty_days(posts):
    days = [p["days_ago"] for p in posts]
    assert all(0 < d <= 62 for d in days)
    assert max(days) >= 45


def test_more_posts_in_last_two_weeks(posts):
    recent = sum(p["days_ago"] <= 14 for p in posts)
    assert recent > len(posts) - recent


def test_reply_times_not_in_future(posts):
    for post in posts:
        for reply in post.get("replies", []):
            assert reply["hours_after"] > 0, post["key"]
            assert post["days_ago"] * 24 > reply["hours_after"], post["key"]


def test_reply_delays_are_plausible(replies):
    assert all(0.2 <= r["hours_after"] <= 72 for _, r in replies)


# --------------------------------------------------------- needs-a-reply ---

def test_at_least_five_posts_without_replies(posts):
    assert sum(not p.get("replies") for p in posts) >= 5


def test_unanswered_posts_spread_over_last_two_weeks(posts):
    days = sorted(p["days_ago"] for p in posts if not p.get("replies"))
    assert all(d <= 14 for d in days)
    assert days[0] <= 2 and days[-1] >= 9


# ------------------------------------------------------------------ tags ---

def test_at_least_five_posts_with_ten_or_more_hashtags(posts):
    heavy = [p["key"] for p in posts if len(HASHTAG_RE.findall(p["title"] + " " + p["body"])) >= 10]
    assert len(heavy) >= 5


def test_lowercase_hashtags_used(posts):
    text = " ".join(p["body"] for p in posts)
    assert any(tag[1:].islower() for tag in HASHTAG_RE.findall(text))


def test_core_tags_covered_case_insensitively(posts):
    used = set()
    for post in posts:
        used |= {t[1:].lower() for t in HASHTAG_RE.findall(post["title"] + " " + post["body"])}
        used |= {t.lstrip("#").lower() for t in re.split(r"[\s,]+", post.get("tags", "")) if t}
    missing = [t for t in CORE_TAGS if t.lower() not in used]
    assert not missing


def test_tags_field_format(posts):
    with_tags = [p for p in posts if p.get("tags", "").strip()]
    assert len(with_tags) >= 5
    for post in with_tags:
        tokens = [t for t in re.split(r"[\s,]+", post["tags"]) if t]
        assert tokens and all(TAG_TOKEN_RE.match(t) for t in tokens), post["key"]


# ---------------------------------------------------------------- safety ---

def test_no_unsafe_phrases(members, posts):
    hits = [(where, phrase) for where, text in _all_text(members, posts)
            for phrase in UNSAFE_PHRASES if phrase in text.lower()]
    assert not hits


def test_links_use_https(members, posts):
    for where, text in _all_text(members, posts):
        for url in re.findall(r"\]\(([^)]+)\)", text):
            assert url.startswith("https://"), (where, url)


def test_no_demo_text_raises_a_crisis_alarm(posts, replies):
    """The demo is everyday peer support: a crisis item in a fresh install's queue would be a false alarm,
    and the first thing a new moderator learns should not be that alarms can be ignored."""
    from forum.crisis import assess

    texts = [f"{post['title']}\n{post['body']}" for post in posts] + [reply["body"] for _, reply in replies]
    alarms = [(text[:60], [m.phrase for m in assessment.matches])
              for text in texts if (assessment := assess(text)).level.value == "crisis"]
    assert alarms == []
