"""The yardstick for bench/http_bench.py: the least a Flask app can do to show the same pages as Kindred.

Plain `sqlite3` on the same database file, one Jinja template per page, no ORM, no sign-in, no caching.
It renders what a reader sees on Kindred's pages (20 post cards with title, author, excerpt, hashtags and
counts; a post with 20 replies), so the ratio Kindred / bare says what everything else Kindred does costs.

    BARE_DATABASE=bench/bench.sqlite3 gunicorn -w 2 bench.bare_page:app     # from the repository's top
"""
from __future__ import annotations

import os
import sqlite3
from collections import defaultdict

from flask import Flask, abort, g, render_template_string

app = Flask(__name__)
DATABASE = os.environ.get("BARE_DATABASE", "bench.sqlite3")

LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }} · Bare</title>
<link rel="stylesheet" href="/static/style.css"></head><body><header><a href="/">Bare</a></header>
<main>{% block main %}{% endblock %}</main></body></html>"""

CARDS = LAYOUT.replace("{% block main %}{% endblock %}", """<h1>{{ title }}</h1>
{% for post in posts %}<article class="post-card"><h2>
<a href="{{ url_for('post', post_id=post.id) }}">{{ post.title }}</a></h2>
<p class="byline"><a href="{{ url_for('member', username=post.username) }}">{{ post.username }}</a>
<time datetime="{{ post.created_at }}">{{ post.created_at[:10] }}</time></p>
<p>{{ post.excerpt }}</p>
<ul class="tags">{% for tag in tags[post.id] %}
<li><a href="{{ url_for('tag', name=tag) }}">#{{ tag }}</a></li>{% endfor %}</ul>
<p class="counts">{{ post.reply_count }} replies · {{ post.heart_count }} hearts</p></article>{% endfor %}""")

THREAD = LAYOUT.replace("{% block main %}{% endblock %}", """<article><h1>{{ post.title }}</h1>
<p class="byline"><a href="{{ url_for('member', username=post.username) }}">{{ post.username }}</a></p>
<div class="body">{{ post.body_html | safe }}</div>
<ul class="tags">{% for tag in tags %}
<li><a href="{{ url_for('tag', name=tag) }}">#{{ tag }}</a></li>{% endfor %}</ul></article>
<section>{% for reply in replies %}<article class="reply"><p class="byline">
<a href="{{ url_for('member', username=reply.username) }}">{{ reply.username }}</a></p>
<div class="body">{{ reply.body_html | safe }}</div>
<p>{{ reply.heart_count }} hearts</p></article>{% endfor %}</section>""")


def connection() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close(_exc) -> None:
    db = g.pop("db", None)
    if db is not None:
        db.close()


def cards(where: str, params: tuple, title: str):
    db = connection()
    posts = db.execute(
        "SELECT posts.id, posts.title, posts.excerpt, posts.created_at, posts.reply_count, posts.heart_count, "
        "users.username FROM posts JOIN users ON users.id = posts.author_id "
        f"WHERE posts.status = 'visible' {where} ORDER BY posts.last_activity_at DESC, posts.id DESC LIMIT 20",
        params).fetchall()
    tags = defaultdict(list)
    ids = [post["id"] for post in posts]
    if ids:
        marks = ",".join("?" * len(ids))
        for row in db.execute(f"SELECT post_hashtags.post_id, hashtags.name FROM post_hashtags JOIN hashtags "
                              f"ON hashtags.id = post_hashtags.hashtag_id WHERE post_hashtags.post_id IN ({marks})",
                              ids):
            tags[row[0]].append(row[1])
    return render_template_string(CARDS, title=title, posts=posts, tags=tags)


@app.get("/")
def latest():
    return cards("", (), "Latest")


@app.get("/tags/<name>")
def tag(name: str):
    found = connection().execute("SELECT id, name FROM hashtags WHERE key = ?", (name.lower(),)).fetchone()
    if found is None:
        abort(404)
    return cards("AND posts.id IN (SELECT post_id FROM post_hashtags WHERE hashtag_id = ?)", (found["id"],),
                 f"#{found['name']}")


@app.get("/posts/<int:post_id>")
def post(post_id: int):
    db = connection()
    found = db.execute("SELECT posts.id, posts.title, posts.body_html, users.username FROM posts JOIN users "
                       "ON users.id = posts.author_id WHERE posts.id = ? AND posts.status = 'visible'",
                       (post_id,)).fetchone()
    if found is None:
        abort(404)
    tags = [row[0] for row in db.execute("SELECT hashtags.name FROM post_hashtags JOIN hashtags ON hashtags.id = "
                                         "post_hashtags.hashtag_id WHERE post_hashtags.post_id = ?", (post_id,))]
    replies = db.execute("SELECT replies.body_html, replies.heart_count, users.username FROM replies JOIN users "
                         "ON users.id = replies.author_id WHERE replies.post_id = ? AND replies.status = 'visible' "
                         "ORDER BY replies.created_at, replies.id LIMIT 50", (post_id,)).fetchall()
    return render_template_string(THREAD, post=found, tags=tags, replies=replies, title=found["title"])


@app.get("/u/<username>")
def member(username: str):
    abort(404)
