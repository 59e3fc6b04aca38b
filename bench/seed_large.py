"""Fill a database with a large synthetic Kindred community, quickly.

    .venv/bin/python bench/seed_large.py                    # 100k posts into bench/bench.sqlite3
    .venv/bin/python bench/seed_large.py --reset --posts 20000
    .venv/bin/python bench/seed_large.py --reset \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/kindred_bench

The database defaults to $BENCH_DATABASE_URL, else bench/bench.sqlite3 (git-ignored). The schema comes only
from the migrations. Rows go in with SQLAlchemy Core bulk inserts and explicit ids (not through the
services, which would take many minutes for 100k posts), but every denormalised column is set exactly as
the services would set it, and checked at the end:

- posts.reply_count, posts.heart_count, replies.heart_count;
- posts.last_activity_at (the post's time or its latest reply's) and posts.first_response_at (the first
  reply by someone other than the author, else NULL);
- hashtags.post_count (visible posts carrying the tag: what forum.services.tags.recount_hashtags computes);
- post_hashtags.last_activity_at (the post's, which the database's triggers keep it).

Markdown is rendered once for a pool of distinct synthetic bodies and reused; one password hash serves
every member (the password is "kindred-bench"). The text is neutral filler in the forum's gentle voice.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from sqlalchemy import case, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_DATABASE_URL = f"sqlite:///{REPO / 'bench' / 'bench.sqlite3'}"
PASSWORD = "kindred-bench"
CHUNK_POSTS = 5_000     # posts generated (with their tags, replies and hearts) per round
BATCH_ROWS = 10_000     # rows per executemany


# --------------------------------------------------------------------------------------------------
# Database URL and schema


def database_url(raw: str | None = None) -> str:
    """The URL to use: --database-url, else $BENCH_DATABASE_URL, else bench/bench.sqlite3.

    `postgresql://` becomes psycopg 3, and a relative SQLite path is made absolute against the current
    directory (Flask-SQLAlchemy would otherwise put it under instance/).
    """
    from config import normalise_database_url

    url = make_url(normalise_database_url(raw or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
            and not url.database.startswith("file:") and not os.path.isabs(url.database):
        url = url.set(database=os.path.abspath(url.database))
    return url.render_as_string(hide_password=False)


def describe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def make_app(url: str):
    from forum import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url})


def schema_revisions(app) -> tuple[set[str], set[str]]:
    """(the database's Alembic revisions, the code's heads); call inside an app context."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from forum.extensions import db

    heads = set(ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads())
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    return current, heads


def reset_database(url: str) -> None:
    """SQLite: delete the file. PostgreSQL: drop and recreate the public schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(parsed.database + suffix).unlink(missing_ok=True)
        return
    if parsed.get_backend_name() != "postgresql":
        raise SystemExit(f"--reset knows SQLite and PostgreSQL, not {parsed.get_backend_name()}")
    if parsed.database in ("test", "postgres", "template0", "template1"):
        raise SystemExit(f"refusing to reset the database named {parsed.database!r}")
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# --------------------------------------------------------------------------------------------------
# Synthetic text: neutral, gentle filler. No crisis language (a crisis detector scans these).

ADJECTIVES = [
    "quiet", "gentle", "steady", "patient", "hopeful", "calm", "brave", "kind", "soft", "bright",
    "warm", "slow", "curious", "careful", "honest", "humble", "sunny", "misty", "mossy", "silver",
    "golden", "amber", "copper", "velvet", "cedar", "maple", "willow", "coastal", "northern", "little",
    "wandering", "sleepy", "early", "evening", "morning", "autumn", "winter", "spring", "summer", "lucky",
]
NOUNS = [
    "river", "stones", "lantern", "harbor", "meadow", "sparrow", "heron", "otter", "fern", "pebble",
    "cloud", "garden", "kettle", "candle", "compass", "orchard", "valley", "island", "lighthouse", "owl",
    "fox", "badger", "robin", "finch", "wren", "maple", "birch", "pine", "tide", "shore",
    "hill", "trail", "path", "bridge", "window", "porch", "quilt", "teapot", "notebook", "pencil",
    "moth", "bee", "clover", "daisy", "thistle", "acorn", "brook", "creek", "dune", "breeze",
]

CORE_TAGS = [
    "Depression", "Anxiety", "Recovery", "CheckIn", "SmallWins", "PTSD", "Sleep", "SelfCare", "Gratitude",
    "Bipolar", "ChronicIllness", "Therapy", "Routine", "Mindfulness", "Journaling", "Walking", "Friendship",
    "Family", "Work", "Motivation", "Hope", "Rest", "Breathing", "Nature", "Music", "Reading", "Art",
    "Cooking", "Pets", "Gardening", "Weather", "Patience", "Kindness", "Boundaries", "Study", "Mornings",
    "Evenings", "Weekend", "Exercise", "Yoga", "Meditation", "Community", "Support", "Progress", "Loneliness",
    "SocialAnxiety", "Fatigue", "ChronicPain", "Fibromyalgia", "Migraine", "ADHD", "OCD", "Autism",
    "Parenting", "Caregiving", "Burnout", "Dogs", "Cats", "Birds", "Tea",
]
TAG_TOPICS = ["Sleep", "Morning", "Evening", "Walk", "Garden", "Music", "Book", "Tea", "Art", "Kitchen",
              "Study", "Work", "Family", "Friend", "Weekend", "Winter", "Spring", "Summer", "Autumn", "Rainy"]
TAG_SUFFIXES = ["Tips", "Diary", "Club", "Thoughts", "Wins", "Routine", "Goals", "Questions", "Stories",
                "Notes", "Chat", "Help", "Ideas", "Moments", "Log"]

TITLES = [
    "Checking in after a long week", "Small win today", "Anyone else find mornings slow?",
    "Grateful for this community", "A quiet weekend update", "What helps you wind down at night?",
    "First post here, hello everyone", "Month three of my new routine", "Trying a gentler pace this week",
    "A good day, finally", "Questions about starting therapy", "How do you keep a journal going?",
    "Sharing a little progress", "Rainy day thoughts", "Back after a break", "Tips for a calmer evening?",
    "Finding my footing again", "Tiny steps, still steps", "Went for a walk by the river", "Sunday check-in",
    "Learning to rest without guilt", "Something that made me smile", "How do you explain this to family?",
    "Starting over with my sleep schedule", "Asking for ideas: hobbies that feel doable",
    "One year in this community", "A thank-you note", "Slow progress is still progress", "Mid-week check-in",
    "What does self-care look like for you?",
]
TITLE_TAILS = ["", "", "", " (long-ish post)", " - update", " - part 2", ", with a question", " :)"]

OPENERS = [
    "Checking in after a long week.", "Hi everyone, it's been a little while since I posted.",
    "I wanted to share something small that went well today.", "This is my first post, so please be patient with me.",
    "Quick update from me, since a few of you asked.", "Not much to report, but I promised myself I'd write here more.",
    "Morning, all. The sun came out for the first time in days.", "I've been reading this forum quietly for months.",
    "Writing this with a cup of tea and the window open.",
    "Today felt steadier than last week, and I want to remember it.",
]
MIDDLES = [
    "I managed to keep my evening routine four nights in a row, which is a record for me.",
    "Work has been busy, so I've been trying to take short breaks and step outside.",
    "My therapist suggested writing down three things that went okay each day, and it helps more than I expected.",
    "I went for a slow walk around the park and noticed the trees are starting to change colour.",
    "Some days the to-do list feels enormous, so I've been picking just one thing and calling that enough.",
    "I called an old friend for the first time in ages and we talked for an hour.",
    "Sleep is still patchy, but I've stopped looking at my phone in bed and that seems to help a bit.",
    "I'm learning that rest is part of the work, not a reward for finishing it.",
    "The appointment went fine. I was nervous beforehand, but the doctor listened and we made a plan.",
    "I planted some herbs on the windowsill. The basil is doing well; the parsley is thinking about it.",
    "My cat has decided my lap is the only acceptable place to sit while I work, which is honestly lovely.",
    "It's hard to explain to people who haven't been through it, so I'm glad this place exists.",
    "I tried the breathing exercise someone mentioned here last month and it calmed me down before a meeting.",
    "Cooking a proper meal felt like a big deal this week, and I'm letting myself be proud of that.",
    "Some of the energy I had last spring is coming back slowly, in small pieces.",
    "I've been drawing again, just simple sketches, and it's nice to make something with my hands.",
    "My family is trying to understand, and we had a calm conversation about what helps.",
    "I noticed I was comparing my progress to other people's and decided to take a step back from that.",
    "I've been keeping a little notebook of things that made me smile. Today it was a dog in a raincoat.",
    "The weekends are the hardest to structure, so I've started planning one small outing each Saturday.",
    "Reading before bed instead of scrolling has been a gentle change that I think I'll keep.",
    "I said no to something I didn't have the energy for, and the world kept turning.",
    "Mornings are slow for me, so I've stopped expecting them to be anything else.",
    "I joined a small walking group. Nobody talks much, which suits me perfectly.",
]
CLOSERS = [
    "Thanks for reading, and I hope your week is gentle.", "How is everyone else doing?",
    "Does anyone have tips for keeping a routine on the weekends?", "Sending warm thoughts to all of you.",
    "Thanks for being here. It means more than you know.", "What small thing went well for you this week?",
    "I'll check back in a few days.", "Be kind to yourselves today.", "Any ideas are welcome, big or small.",
    "Grateful for this little corner of the internet.",
]
LIST_INTROS = ["Things that helped this week:", "My tiny list for today:", "What I'm trying this month:"]
LIST_ITEMS = [
    "a walk before lunch", "drinking more water", "ten minutes of stretching", "calling my sister",
    "an early night", "writing three lines in my journal", "tidying one drawer", "sitting in the sun for a bit",
    "listening to a favourite album", "making soup for the week", "a short nap without guilt",
    "watering the plants", "reading a chapter of a good book", "messaging a friend back",
]

REPLY_SENTENCES = [
    "Thank you for sharing this.", "That's a real win, well done.", "I hear you, and you're not alone in this.",
    "Sending you a warm hello from across the ocean.", "This made me smile today.",
    "I've found the same thing with evening routines: small and steady works best.",
    "Mornings are slow for me too. A glass of water and a window open helps a little.",
    "Proud of you for reaching out.", "Glad the appointment went well.",
    "One thing at a time is more than enough.", "Your cat sounds like excellent company.",
    "I tried journaling last year and it really did help me notice the good days.",
    "Rest counts. You don't have to earn it.", "Thanks for the tip, I'll try it this week.",
    "Checking in on you. How did the rest of the week go?", "Welcome! We're glad you're here.",
    "Same here. It's comforting to know other people get it.", "That sounds like a lovely walk.",
    "Small steps add up. You're doing better than you think.", "Hope the weekend is kind to you.",
    "I love the idea of a notebook of small joys.", "Saying no is a skill, and you're practising it.",
]


def _title(rng: random.Random) -> str:
    return (rng.choice(TITLES) + rng.choice(TITLE_TAILS))[:150]


def _post_markdown(rng: random.Random) -> str:
    paragraphs = [rng.choice(OPENERS) + " " + " ".join(rng.sample(MIDDLES, rng.randint(1, 3)))]
    for _ in range(rng.randint(0, 2)):
        paragraphs.append(" ".join(rng.sample(MIDDLES, rng.randint(1, 3))))
    if rng.random() < 0.25:
        items = rng.sample(LIST_ITEMS, rng.randint(2, 4))
        paragraphs.append(rng.choice(LIST_INTROS) + "\n\n" + "\n".join(f"- {item}" for item in items))
    if rng.random() < 0.3:
        i = rng.randrange(len(paragraphs))
        words = paragraphs[i].split(" ")
        j = rng.randrange(len(words))
        words[j] = f"*{words[j]}*" if rng.random() < 0.5 else f"**{words[j]}**"
        paragraphs[i] = " ".join(words)
    paragraphs.append(rng.choice(CLOSERS))
    return "\n\n".join(paragraphs)


def _reply_markdown(rng: random.Random) -> str:
    body = " ".join(rng.sample(REPLY_SENTENCES, rng.randint(1, 3)))
    if rng.random() < 0.2:
        body += "\n\n" + rng.choice(REPLY_SENTENCES)
    return body


def text_pools(rng: random.Random, size: int) -> tuple[list[dict], list[dict]]:
    """Render `size` distinct post bodies and reply bodies once; rows reuse them."""
    from forum.services.text import excerpt, render_body

    flagged = _flagged_by_detector()
    posts: dict[str, dict] = {}
    while len(posts) < size:
        body = _post_markdown(rng)
        if body not in posts and not flagged(body):
            posts[body] = {"body": body, "body_html": render_body(body), "excerpt": excerpt(body)}
    replies: dict[str, dict] = {}
    while len(replies) < size:
        body = _reply_markdown(rng)
        if body not in replies and not flagged(body):
            replies[body] = {"body": body, "body_html": render_body(body)}
    return list(posts.values()), list(replies.values())


def _flagged_by_detector():
    """The crisis detector's verdict on a text, if the detector is there; flagged filler is left out.

    Rows keep the model's crisis defaults ("none", no matches), which is what the services would store
    for text the detector finds nothing in.
    """
    try:
        from forum.crisis import assess
    except ImportError:
        return lambda text: False

    def flagged(text: str) -> bool:
        level = getattr(assess(text).level, "value", "none")
        if level != "none":
            print(f"  warning: the crisis detector rates this filler {level!r}; leaving it out: {text[:80]!r}")
        return level != "none"

    bad_titles = [title for title in TITLES if flagged(title)]
    for title in bad_titles:
        TITLES.remove(title)
    return flagged


def usernames(rng: random.Random, count: int) -> list[str]:
    """Unique usernames, case-insensitively, in a few styles (quiet_river, QuietRiver42, ...)."""
    names: list[str] = []
    keys: set[str] = set()
    pairs = list(itertools.product(ADJECTIVES, NOUNS))
    rng.shuffle(pairs)
    n = 0
    while len(names) < count:
        adjective, noun = pairs[n % len(pairs)]
        style = rng.random()
        if style < 0.5:
            name = f"{adjective}_{noun}"
        elif style < 0.8:
            name = f"{adjective.capitalize()}{noun.capitalize()}"
        else:
            name = f"{adjective}-{noun}"
        if n >= len(pairs) or name.casefold() in keys:
            name = f"{name}{rng.randint(2, 999)}"
        n += 1
        if name.casefold() in keys or len(name) > 30:
            continue
        keys.add(name.casefold())
        names.append(name)
    return names


def tag_names(count: int) -> list[str]:
    """Tag names in popularity order: the core tags first, then compound ones."""
    names = list(CORE_TAGS)
    for topic, suffix in itertools.product(TAG_TOPICS, TAG_SUFFIXES):
        names.append(topic + suffix)
    seen: set[str] = set()
    unique = []
    for name in names:
        if name.casefold() not in seen:
            seen.add(name.casefold())
            unique.append(name)
    while len(unique) < count:
        unique.append(f"Topic{len(unique)}")
    return unique[:count]


# --------------------------------------------------------------------------------------------------
# Seeding


class Seeder:
    def __init__(self, db, posts: int, users: int, tags: int, seed: int, pool_size: int):
        self.db = db
        self.n_posts = posts
        self.n_users = users
        self.n_tags = tags
        self.rng = random.Random(seed)
        self.pool_size = pool_size
        self.now = datetime.now(timezone.utc).replace(microsecond=0)
        self.start = self.now - timedelta(days=730)
        self.counts = {"users": 0, "hashtags": 0, "posts": 0, "post_hashtags": 0, "replies": 0, "hearts": 0}
        self.seconds: dict[str, float] = {}  # time spent inserting, per table
        self.next_reply_id = 1
        self.next_heart_id = 1

    # -- bulk insert ---------------------------------------------------------------------------------
    def insert_rows(self, table, rows: list[dict]) -> None:
        started = time.perf_counter()
        for i in range(0, len(rows), BATCH_ROWS):
            self.db.session.execute(insert(table), rows[i:i + BATCH_ROWS])
        self.counts[table.name] += len(rows)
        self.seconds[table.name] = self.seconds.get(table.name, 0.0) + time.perf_counter() - started

    # -- members and tags ----------------------------------------------------------------------------
    def seed_users(self) -> None:
        from werkzeug.security import generate_password_hash

        from forum.models import User

        password_hash = generate_password_hash(PASSWORD)  # once, shared by everybody
        rows = []
        for i, name in enumerate(usernames(self.rng, self.n_users), start=1):
            role = "admin" if i == 1 else "moderator" if i <= 3 else "member"
            rows.append({
                "id": i, "username": name, "username_key": name.casefold(), "password_hash": password_hash,
                "role": role, "joined_at": self.start - timedelta(days=self.rng.uniform(1, 120)),
                "bio": "Here to listen and to learn." if i % 7 == 0 else "", "country": "",
            })
        self.insert_rows(User.__table__, rows)
        # Some members write a lot, many write now and then: author weights fall off like 1/rank^0.8.
        self.user_ids = list(range(1, self.n_users + 1))
        order = self.user_ids[:]
        self.rng.shuffle(order)
        weights = [1 / (rank + 5) ** 0.8 for rank in range(self.n_users)]
        self.author_ids = order
        self.author_cum = list(itertools.accumulate(weights))

    def seed_tags(self) -> None:
        from forum.hashtags import hashtag_key, is_valid_hashtag
        from forum.models import Hashtag

        names = tag_names(self.n_tags)
        assert all(is_valid_hashtag(name) for name in names)
        rows = [{"id": i, "key": hashtag_key(name), "name": name, "post_count": 0}
                for i, name in enumerate(names, start=1)]
        self.insert_rows(Hashtag.__table__, rows)
        self.tag_ids = [row["id"] for row in rows]
        # Zipf-like popularity: the tag of rank r is chosen with weight 1 / r^1.05.
        self.tag_cum = list(itertools.accumulate(1 / rank ** 1.05 for rank in range(1, len(rows) + 1)))

    def pick_author(self) -> int:
        return self.author_ids[bisect.bisect_left(self.author_cum, self.rng.random() * self.author_cum[-1])]

    def pick_tags(self) -> list[int]:
        r = self.rng.random()
        if r < 0.005:
            k = self.rng.randint(20, 30)  # the odd post that tags everything (30 is the services' limit)
        else:
            k = 1 + bisect.bisect_left([0.25, 0.50, 0.68, 0.80, 0.88, 0.93, 0.97, 1.0], r)
        k = min(k, len(self.tag_ids))
        chosen: dict[int, None] = {}
        while len(chosen) < k:
            for tag_id in self.rng.choices(self.tag_ids, cum_weights=self.tag_cum, k=k - len(chosen)):
                chosen[tag_id] = None
        return list(chosen)

    def stamp(self, moment: datetime) -> datetime:
        return min(moment, self.now)

    # -- posts, replies, hearts ---------------------------------------------------------------------
    def seed_content(self) -> None:
        from forum.models import Heart, Post, Reply, post_hashtags

        rng = self.rng
        post_pool, reply_pool = text_pools(rng, self.pool_size)
        print(f"  rendered {len(post_pool)} post bodies and {len(reply_pool)} reply bodies once", flush=True)
        span = (self.now - timedelta(minutes=10) - self.start).total_seconds()
        offsets = sorted(rng.random() * span for _ in range(self.n_posts))
        recent = self.now - timedelta(days=14)
        started = time.perf_counter()
        for chunk_start in range(0, self.n_posts, CHUNK_POSTS):
            posts, links, replies, hearts = [], [], [], []
            for i in range(chunk_start, min(chunk_start + CHUNK_POSTS, self.n_posts)):
                post_id = i + 1
                created = self.start + timedelta(seconds=offsets[i])
                author = self.pick_author()
                body = post_pool[rng.randrange(len(post_pool))]
                r = rng.random()
                status = ("pending" if r < 0.004 else "hidden" if r < 0.008 else "removed" if r < 0.01
                          else "visible")
                visible = status == "visible"
                # Reply count: most posts get a few, some none, a handful become long threads.
                if not visible or (created >= recent and rng.random() < 0.5) or rng.random() < 0.04:
                    n_replies, gap_hours = 0, 0.0
                elif rng.random() < 0.001:
                    n_replies, gap_hours = rng.randint(50, 500), 0.5
                else:
                    n_replies, gap_hours = 1 + int(rng.expovariate(1 / 2.4)), 8.0
                post_replies, top_level = [], []
                moment = created
                for _ in range(n_replies):
                    moment = moment + timedelta(hours=rng.expovariate(1 / gap_hours))
                    if moment >= self.now:
                        break
                    parent = rng.choice(top_level) if top_level and rng.random() < 0.3 else None
                    reply_author = author if rng.random() < 0.06 else self.pick_author()
                    reply_body = reply_pool[rng.randrange(len(reply_pool))]
                    post_replies.append({
                        "id": self.next_reply_id, "post_id": post_id, "author_id": reply_author,
                        "parent_id": parent["id"] if parent else None, "body": reply_body["body"],
                        "body_html": reply_body["body_html"], "status": "visible", "created_at": moment,
                        "edited_at": None, "deleted_at": None, "heart_count": 0,
                    })
                    if parent is None:
                        top_level.append(post_replies[-1])
                    self.next_reply_id += 1
                first_response = next((reply["created_at"] for reply in post_replies
                                       if reply["author_id"] != author), None)
                # Hearts: never on one's own words, one per member per post or reply.
                post_hearts = 0
                if visible:
                    post_hearts = self.add_hearts(hearts, author, created, {"post_id": post_id, "reply_id": None},
                                                  rng.expovariate(1 / (3.0 + len(post_replies) / 4)))
                for reply in post_replies:
                    reply["heart_count"] = self.add_hearts(
                        hearts, reply["author_id"], reply["created_at"],
                        {"post_id": None, "reply_id": reply["id"]}, rng.expovariate(1 / 1.2))
                replies.extend(post_replies)
                posts.append({
                    "id": post_id, "author_id": author, "title": _title(rng), "body": body["body"],
                    "body_html": body["body_html"], "excerpt": body["excerpt"], "status": status,
                    "created_at": created, "edited_at": None,
                    "last_activity_at": post_replies[-1]["created_at"] if post_replies else created,
                    "first_response_at": first_response, "reply_count": len(post_replies),
                    "heart_count": post_hearts,
                })
                # The post's activity beside each tag, as the database's trigger would copy it (given here, the
                # trigger has nothing to fill in).
                active = posts[-1]["last_activity_at"]
                links.extend({"post_id": post_id, "hashtag_id": tag_id, "last_activity_at": active}
                             for tag_id in self.pick_tags())
            self.insert_rows(Post.__table__, posts)
            self.insert_rows(post_hashtags, links)
            self.insert_rows(Reply.__table__, replies)
            self.insert_rows(Heart.__table__, hearts)
            self.db.session.commit()
            done = chunk_start + len(posts)
            elapsed = time.perf_counter() - started
            print(f"  posts {done:>8,}/{self.n_posts:,}  replies {self.counts['replies']:>9,}  "
                  f"hearts {self.counts['hearts']:>9,}  {elapsed:6.1f}s", flush=True)

    def add_hearts(self, hearts: list, author: int, created: datetime, target: dict, mean: float) -> int:
        count = min(int(mean), self.n_users - 1)
        if count <= 0:
            return 0
        givers = [user for user in self.rng.sample(self.user_ids, count + 1) if user != author][:count]
        for giver in givers:
            hearts.append({"id": self.next_heart_id, "user_id": giver, **target,
                           "created_at": self.stamp(created + timedelta(hours=self.rng.expovariate(1 / 20)))})
            self.next_heart_id += 1
        return len(givers)

    def finish(self) -> None:
        """Exact tag counts; on PostgreSQL, fresh planner statistics and id sequences past our ids."""
        session, postgres = self.db.session, self.db.engine.dialect.name == "postgresql"
        if postgres:
            self.analyze()  # the recount below is planned badly without statistics
        started = time.perf_counter()
        # What forum.services.tags.recount_hashtags(all ids) computes, in one UPDATE. CROSS JOIN makes
        # SQLite walk each tag's post_hashtags rows; with a plain join it walks every visible post for
        # each tag, which takes ~10 s for 300 tags at 100k posts.
        session.execute(text(
            "UPDATE hashtags SET post_count = (SELECT count(*) FROM post_hashtags CROSS JOIN posts"
            " WHERE posts.id = post_hashtags.post_id AND post_hashtags.hashtag_id = hashtags.id"
            " AND posts.status = 'visible')"))
        if postgres:
            for table in ("users", "hashtags", "posts", "replies", "hearts"):
                session.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"))
        session.commit()
        print(f"  hashtag counts{' and id sequences' if postgres else ''} in {time.perf_counter() - started:.1f}s",
              flush=True)

    def analyze(self) -> None:
        started = time.perf_counter()
        self.db.session.commit()
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
        print(f"  ANALYZE in {time.perf_counter() - started:.1f}s", flush=True)


def speed_up_bulk_load(db) -> None:
    """For this session only: a crash mid-way loses the last chunk, and the data is rebuilt with --reset."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text("PRAGMA synchronous=OFF"))
        db.session.execute(text("PRAGMA cache_size=-200000"))
        db.session.execute(text("PRAGMA temp_store=MEMORY"))
    elif db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET synchronous_commit = off"))


# --------------------------------------------------------------------------------------------------
# Checks: the denormalised columns must match what the rows say.


def run_checks(db) -> bool:
    from forum.models import Hashtag, Heart, Post, Reply, post_hashtags

    session = db.session
    live = (select(Reply.post_id, func.count().label("n"), func.max(Reply.created_at).label("last"))
            .where(Reply.deleted_at.is_(None)).group_by(Reply.post_id).subquery())
    first = (select(Reply.post_id, func.min(Reply.created_at).label("first"))
             .join(Post, Post.id == Reply.post_id)
             .where(Reply.deleted_at.is_(None), Reply.author_id != Post.author_id)
             .group_by(Reply.post_id).subquery())
    post_hearts = (select(Heart.post_id, func.count().label("n")).where(Heart.post_id.is_not(None))
                   .group_by(Heart.post_id).subquery())
    reply_hearts = (select(Heart.reply_id, func.count().label("n")).where(Heart.reply_id.is_not(None))
                    .group_by(Heart.reply_id).subquery())
    tag_posts = (select(post_hashtags.c.hashtag_id, func.count().label("n"))
                 .join(Post, Post.id == post_hashtags.c.post_id).where(Post.status == "visible")
                 .group_by(post_hashtags.c.hashtag_id).subquery())
    expected_last = case((live.c["last"] > Post.created_at, live.c["last"]), else_=Post.created_at)
    parent = Reply.__table__.alias("parent")
    checks = {
        "posts.reply_count wrong": select(func.count()).select_from(Post).outerjoin(live, live.c.post_id == Post.id)
        .where(Post.reply_count != func.coalesce(live.c.n, 0)),
        "posts.last_activity_at wrong": select(func.count()).select_from(Post)
        .outerjoin(live, live.c.post_id == Post.id).where(Post.last_activity_at != expected_last),
        "posts.first_response_at wrong": select(func.count()).select_from(Post)
        .outerjoin(first, first.c.post_id == Post.id)
        .where(Post.first_response_at.is_distinct_from(first.c["first"])),
        "posts.heart_count wrong": select(func.count()).select_from(Post)
        .outerjoin(post_hearts, post_hearts.c.post_id == Post.id)
        .where(Post.heart_count != func.coalesce(post_hearts.c.n, 0)),
        "replies.heart_count wrong": select(func.count()).select_from(Reply)
        .outerjoin(reply_hearts, reply_hearts.c.reply_id == Reply.id)
        .where(Reply.heart_count != func.coalesce(reply_hearts.c.n, 0)),
        "hashtags.post_count wrong": select(func.count()).select_from(Hashtag)
        .outerjoin(tag_posts, tag_posts.c.hashtag_id == Hashtag.id)
        .where(Hashtag.post_count != func.coalesce(tag_posts.c.n, 0)),
        "post_hashtags.last_activity_at not the post's": select(func.count()).select_from(post_hashtags)
        .join(Post, Post.id == post_hashtags.c.post_id)
        .where(post_hashtags.c.last_activity_at.is_distinct_from(Post.last_activity_at)),
        "hearts on own posts": select(func.count()).select_from(Heart).join(Post, Post.id == Heart.post_id)
        .where(Post.author_id == Heart.user_id),
        "hearts on own replies": select(func.count()).select_from(Heart).join(Reply, Reply.id == Heart.reply_id)
        .where(Reply.author_id == Heart.user_id),
        "nested replies whose parent is nested or on another post": select(func.count()).select_from(Reply)
        .join(parent, parent.c.id == Reply.parent_id)
        .where(parent.c.parent_id.is_not(None) | (parent.c.post_id != Reply.post_id)),
    }
    ok = True
    print("checks (all should be 0):")
    for label, stmt in checks.items():
        bad = session.scalar(stmt)
        ok &= bad == 0
        print(f"  {label:<58} {bad}")
    from forum.services.feeds import needs_reply_count

    print(f"  (needs-reply feed holds {needs_reply_count(None)} posts; "
          f"busiest thread has {session.scalar(select(func.max(Post.reply_count)))} replies; "
          f"top tag has {session.scalar(select(func.max(Hashtag.post_count)))} posts)")
    return ok


# --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: $BENCH_DATABASE_URL, else sqlite bench/bench.sqlite3")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=2_000)
    parser.add_argument("--tags", type=int, default=300)
    parser.add_argument("--pool", type=int, default=300, help="distinct post and reply bodies to render")
    parser.add_argument("--seed", type=int, default=1, help="random seed (the data is reproducible)")
    parser.add_argument("--reset", action="store_true", help="drop everything and migrate from scratch first")
    parser.add_argument("--no-check", action="store_true", help="skip the counter checks at the end")
    args = parser.parse_args(argv)

    url = database_url(args.database_url)
    print(f"database: {describe(url)}", flush=True)
    began = time.perf_counter()
    if args.reset:
        reset_database(url)
        print("  reset", flush=True)
    app = make_app(url)
    with app.app_context():
        from flask_migrate import upgrade

        from forum.extensions import db
        from forum.models import Post

        current, heads = schema_revisions(app)
        if current and current != heads:
            # Not upgraded in place: on SQLite, a migration that rebuilds a table (Alembic batch mode)
            # with foreign keys on cascade-deletes the rows pointing at it, leaving counters wrong.
            print(f"the database is at migration {sorted(current)}, the code at {sorted(heads)}: "
                  "pass --reset to seed it again")
            return 1
        upgrade()
        existing = db.session.scalar(select(func.count()).select_from(Post))
        if existing:
            print(f"the database already holds {existing:,} posts; pass --reset to start again")
            return 0
        migrated = time.perf_counter()
        print(f"  migrated in {migrated - began:.1f}s", flush=True)

        speed_up_bulk_load(db)
        seeder = Seeder(db, args.posts, args.users, args.tags, args.seed, args.pool)
        seeder.seed_users()
        seeder.seed_tags()
        db.session.commit()
        seeder.seed_content()
        seeder.finish()
        seconds = time.perf_counter() - migrated
        rows = sum(seeder.counts.values())
        counts = ", ".join(f"{n:,} {name}" for name, n in seeder.counts.items())
        print(f"seeded {counts} = {rows:,} rows in {seconds:.1f}s ({rows / seconds:,.0f} rows/s)", flush=True)
        print("  of which inserting: " + ", ".join(f"{name} {sec:.1f}s" for name, sec in seeder.seconds.items()))
        ok = True if args.no_check else run_checks(db)
        db.session.remove()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
