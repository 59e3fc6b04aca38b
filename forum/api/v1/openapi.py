"""The API's OpenAPI 3.1 document, as data: served at /api/v1/openapi.json, rendered as the docs page at /api,
and held against every response the tests see (tests/test_api_schema.py), so it can't drift from the code."""
from __future__ import annotations

from typing import Any

from forum.models import FlagReason
from forum.models.post import POST_BODY_MAX, REPLY_BODY_MAX, TITLE_MAX
from forum.models.token import TOKEN_NAME_MAX

Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_name: str, **more) -> Schema:
    return {"type": [type_name, "null"], **more}


def _object(properties: dict[str, Schema], *, optional: tuple[str, ...] = (), description: str = "") -> Schema:
    """An object with exactly these properties: every one present unless `optional`, and nothing else."""
    schema: Schema = {"type": "object", "properties": properties,
                      "required": [name for name in properties if name not in optional],
                      "additionalProperties": False}
    if description:
        schema["description"] = description
    return schema


TIME = {"type": "string", "format": "date-time"}
LINK = {"type": "string", "description": "A path on this site, for people (not an API URL)."}
CURSOR = _nullable("string", description="Pass as `cursor` for the next page; null on the last page.")

SCHEMAS: dict[str, Schema] = {
    "Error": _object({"error": _object({
        "code": {"type": "integer", "description": "The HTTP status, repeated."},
        "title": {"type": "string", "description": "What happened, in plain words."},
        "message": {"type": "string", "description": "What to do about it."},
        "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
                   "description": "For a request a member can correct: each field's problems; else {}."},
    })}, description="Every error under /api has this shape."),
    "Author": _object({"username": {"type": "string"}, "url": LINK}),
    "PostSummary": _object({
        "id": {"type": "integer"}, "title": {"type": "string"},
        "excerpt": {"type": "string", "description": "The opening words, as plain text."},
        "author": _ref("Author"), "tags": {"type": "array", "items": {"type": "string"}},
        "status": {"enum": ["visible", "pending", "hidden", "removed"],
                   "description": "Anything but visible is only ever shown to its author (and moderators)."},
        "content_warning": _nullable("string", description="Fold the body until the reader opens it."),
        "created_at": TIME, "edited_at": {"oneOf": [TIME, {"type": "null"}]}, "last_activity_at": TIME,
        "reply_count": {"type": "integer"}, "heart_count": {"type": "integer"},
        "awaiting_first_reply": {"type": "boolean"}, "replies_locked": {"type": "boolean"}, "url": LINK,
    }),
    "Reply": _object({
        "id": {"type": "integer"}, "post_id": {"type": "integer"}, "parent_id": _nullable("integer"),
        "author": {"oneOf": [_ref("Author"), {"type": "null"}], "description": "null once its author deleted it."},
        "body": {"type": "string"}, "body_html": {"type": "string"},
        "status": {"enum": ["visible", "pending", "hidden", "removed"]},
        "deleted": {"type": "boolean", "description": "Deleted after others answered it: kept, without words."},
        "created_at": TIME, "edited_at": {"oneOf": [TIME, {"type": "null"}]}, "heart_count": {"type": "integer"},
        "hearted": _nullable("boolean"), "url": LINK,
    }),
    "PostList": _object({"posts": {"type": "array", "items": _ref("PostSummary")}, "next_cursor": CURSOR}),
    "Tag": _object({"name": {"type": "string"}, "post_count": {"type": "integer"}, "url": LINK}),
    "Hotline": _object({"name": {"type": "string"}, "country": {"type": "string"}, "phone": _nullable("string"),
                        "sms": _nullable("string"), "chat_url": _nullable("string"), "url": _nullable("string"),
                        "hours": {"type": "string"}, "languages": {"type": "array", "items": {"type": "string"}}}),
    "Care": {"oneOf": [{"type": "null"}, _object({
        "level": {"enum": ["concern", "crisis"]}, "categories": {"type": "array", "items": {"type": "string"}},
        "tentative": {"type": "boolean", "description": (
            "true when only the learned model heard distress, in no phrase the lexicon knows (never for crisis): "
            "most such words are not distress, so offer help without saying you heard pain, as `card_html` does.")},
        "lines": {"type": "array", "items": _ref("Hotline"), "description": "The lines that fit best: show first."},
        "more_lines": {"type": "array", "items": _ref("Hotline")},
        "card_html": {"type": "string", "description": "The help card exactly as the site shows it (safe HTML)."},
        "help_url": LINK})],
        "description": "Help for the author, when their own words here signalled crisis or distress; else null. "
                       "Show it before anything else. Nothing is ever blocked or hidden because of it."},
    "Member": _object({
        "username": {"type": "string"}, "pronouns": _nullable("string"), "bio": _nullable("string"),
        "joined_at": TIME, "hearts_received": {"type": "integer"},
        "activity_shown": {"type": "boolean", "description": "false when the member keeps their activity private."},
        "followed_tags": {"type": "array", "items": {"type": "string"}}, "url": LINK}),
    "Notification": _object({
        "id": {"type": "integer", "description": "The newest notification in this line (for `up_to`)."},
        "kind": {"enum": ["reply", "mention", "heart", "tag_post", "moderation"]},
        "text": {"type": "string"}, "unread": {"type": "boolean"}, "count": {"type": "integer"},
        "from": {"type": "array", "items": {"type": "string"}}, "created_at": TIME,
        "post_id": _nullable("integer"), "reply_id": _nullable("integer")}),
    "NewPost": _object({
        "title": {"type": "string", "maxLength": TITLE_MAX}, "body": {"type": "string", "maxLength": POST_BODY_MAX},
        "tags": {"type": "string", "description": "Hashtags beside those in the text, e.g. \"#Sleep #Anxiety\"."},
        "content_warning": {"type": "string", "maxLength": 100}}, optional=("tags", "content_warning")),
    "NewReply": _object({"body": {"type": "string", "maxLength": REPLY_BODY_MAX},
                         "parent_id": {"type": "integer", "description": "The reply this one answers."}},
                        optional=("parent_id",)),
    "NewFlag": _object({"reason": {"enum": [reason.value for reason in FlagReason]},
                        "note": {"type": "string", "maxLength": 500,
                                 "description": "Needed with `other`. Only moderators read it."}},
                       optional=("note",)),
}

SCHEMAS["SearchResult"] = _object({
    "kind": {"enum": ["post", "reply"]}, "id": {"type": "integer"},
    "post_id": {"type": "integer", "description": "The post to open (a reply's post)."},
    "title_html": {"type": "string", "description": "Escaped, with the matched words in <mark>."},
    "snippet_html": {"type": "string", "description": "Text around the matches, marked up the same way."},
    "author": {"type": "string"}, "author_role": {"enum": ["member", "moderator", "admin"]},
    "created_at": TIME, "content_warning": {"type": "string", "description": "Empty when there is none."},
    "tags": {"type": "array", "items": {"type": "string"}}, "score": {"type": "number"},
    "status": {"enum": ["visible", "pending", "hidden", "removed"],
               "description": "Anything but visible is the viewer's own, not yet seen by others."}})
SCHEMAS["GuideMatch"] = _object({"slug": {"type": "string"}, "title": {"type": "string"},
                                 "summary": {"type": "string"}, "snippet": {"type": "string"}, "url": LINK})
SCHEMAS["SearchPage"] = _object({
    "query": {"type": "string", "description": "The words as searched."},
    "notices": {"type": "array", "items": {"type": "string"},
                "description": "Calm words about the query (too common, nothing to look for…); never an error."},
    "results": {"type": "array", "items": _ref("SearchResult")}, "next_cursor": CURSOR,
    "guides": {"type": "array", "items": _ref("GuideMatch"),
               "description": "Treatment guides answering the words (first page only, none for one author)."}})

# A post in full and a thread are a summary and a reply with more fields; spelled out (not allOf), so each
# stays an exact list of properties.
SCHEMAS["Post"] = _object({
    **SCHEMAS["PostSummary"]["properties"],
    "body": {"type": "string", "description": "Markdown, as the member wrote it."},
    "body_html": {"type": "string", "description": "Sanitised HTML, as the site shows it."},
    "hearted": _nullable("boolean", description="Whether you hearted it; null when signed out."),
})
SCHEMAS["Thread"] = _object({**SCHEMAS["Reply"]["properties"],
                             "answers": {"type": "array", "items": _ref("Reply")}})


def _error(description: str) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _json(description: str, schema: Schema) -> Schema:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: What can go wrong on any route: a request we can't store (400), a dead token (401), the server's fault (500)
#: or the database's (503).
ALWAYS = {"400": _error("A request no honest client sends: a character we can't store, a cursor we didn't make."),
          "401": _error("A token was sent that opens nothing: revoked, or mistyped. (Sending none is fine here.)"),
          "500": _error("Our fault; try again shortly."),
          "503": _error("The database can't be reached; try again after Retry-After seconds.")}
FOUND = {"404": _error("Nothing by that id or name, or nothing you may see (the same answer either way).")}
SIGNED_IN = {"401": _error("No member: sign in, or send a token that works (a revoked one stops at once).")}
WRITES = {**SIGNED_IN,
          "400": _error("Sent without the session's CSRF header, or not a JSON object, or something we can't store."),
          "403": _error("A read-only token, or a rule of the forum (e.g. hearting your own words); the message "
                        "says which."),
          "413": _error("More than a megabyte."),
          "429": _error("Too many of these in an hour from this member: the same limit, shared with the site. "
                        "Wait Retry-After seconds."),
          "422": _error("A field needs another look; `fields` names each one with its message.")}
PUBLIC = [{}, {"token": []}, {"session": []}]
MEMBERS = [{"token": []}, {"session": []}]
WRITERS = [{"token": []}, {"session": [], "csrf": []}]


def _path_id(name: str, what: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1},
            "description": what}


def _path_name(name: str, what: str) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}, "description": what}


CURSOR_PARAM = {"name": "cursor", "in": "query", "required": False, "schema": {"type": "string"},
                "description": "`next_cursor` from the page before."}
IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{16,64}$"},
               "description": "A random key you make per new text: a retry with it answers 200 with what the "
                              "first attempt made, and makes nothing twice."}


def _get(summary: str, ok: Schema, *, errors: dict | None = None, params: list | None = None,
         security: list | None = None, tag: str) -> Schema:
    return {"summary": summary, "tags": [tag], "security": security or PUBLIC, "parameters": params or [],
            "responses": {"200": ok, **ALWAYS, **(errors or {})}}


def _write(summary: str, responses: dict, *, body: str | None = None, params: list | None = None,
           tag: str, description: str = "", takes_fields: bool = False) -> Schema:
    """A write: answers 404 only when its path names something to find, and 422 only when it takes fields."""
    params = params or []
    refusals = {**WRITES}
    if not (body or takes_fields):
        del refusals["422"]
    finds = FOUND if any(param["in"] == "path" for param in params) else {}
    operation: Schema = {"summary": summary, "tags": [tag], "security": WRITERS, "parameters": params,
                         "responses": {**responses, **ALWAYS, **refusals, **finds}}
    if description:
        operation["description"] = description
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    return operation


POST_ID = _path_id("post_id", "The post's id.")
REPLY_ID = _path_id("reply_id", "The reply's id.")
HEART = _json("The heart's state now.", _object({"hearted": {"type": "boolean"}, "heart_count": {"type": "integer"},
                                                 "changed": {"type": "boolean",
                                                             "description": "false: it was already so."}}))
FLAGGED = {"201": _json("Flagged: moderators will look.", _object({"flag": _object({
    "id": {"type": "integer"}, "reason": {"type": "string"}})})),
    "409": _error("You flagged this already.")}
CREATED_POST = _object({"post": _ref("Post"), "care": _ref("Care")})
CREATED_REPLY = _object({"reply": _ref("Reply"), "care": _ref("Care")})

PATHS: dict[str, Schema] = {
    "/posts": {
        "get": _get("Latest posts, latest activity first (tags you muted left out).",
                    _json("A page.", _ref("PostList")), params=[CURSOR_PARAM], tag="Posts"),
        "post": _write("Write a post.", {
            "201": _json("Posted (or held for a moderator: see `status`).", CREATED_POST),
            "200": _json("A retry with the same Idempotency-Key: the post it made.", CREATED_POST)},
                       body="NewPost", params=[IDEMPOTENCY], tag="Posts",
                       description="Read by the crisis detector like every post: if the words signal crisis or "
                                   "distress, `care` holds the help the site would show the author."),
    },
    "/posts/{post_id}": {
        "get": _get("A post with a page of its replies, in threads one level deep.", _json("The post.", _object({
            "post": _ref("Post"), "replies": {"type": "array", "items": _ref("Thread")}, "next_cursor": CURSOR,
            "care": _ref("Care")})), errors=FOUND, params=[POST_ID, CURSOR_PARAM], tag="Posts"),
    },
    "/posts/{post_id}/replies": {
        "post": _write("Reply to a post, or to a reply on it.",
                       {"201": _json("Replied.", CREATED_REPLY),
                        "200": _json("A retry with the same Idempotency-Key: the reply it made.", CREATED_REPLY)},
                       body="NewReply", params=[POST_ID, IDEMPOTENCY], tag="Replies"),
    },
    "/posts/{post_id}/heart": {
        "put": _write("Send the post a heart (again is fine: nothing changes).", {"200": HEART},
                      params=[POST_ID], tag="Hearts"),
        "delete": _write("Take the heart back.", {"200": HEART}, params=[POST_ID], tag="Hearts"),
    },
    "/posts/{post_id}/flags": {
        "post": _write("Ask the moderators to look at a post.", FLAGGED, body="NewFlag", params=[POST_ID],
                       tag="Flags"),
    },
    "/replies/{reply_id}/heart": {
        "put": _write("Send the reply a heart.", {"200": HEART}, params=[REPLY_ID], tag="Hearts"),
        "delete": _write("Take the heart back.", {"200": HEART}, params=[REPLY_ID], tag="Hearts"),
    },
    "/replies/{reply_id}/flags": {
        "post": _write("Ask the moderators to look at a reply.", FLAGGED, body="NewFlag", params=[REPLY_ID],
                       tag="Flags"),
    },
    "/tags": {
        "get": _get("Tags with posts, most used first.", _json("A page.", _object({
            "tags": {"type": "array", "items": _ref("Tag")}, "next_cursor": CURSOR})),
            params=[CURSOR_PARAM], tag="Tags"),
    },
    "/tags/{name}/posts": {
        "get": _get("A tag's posts, latest activity first. A merged tag answers with the tag it became; a tag "
                    "whose every post is hidden from you is not found, as for a name nobody used.",
                    _json("A page.", _object({"tag": _ref("Tag"), "posts": {"type": "array",
                                                                           "items": _ref("PostSummary")},
                                              "next_cursor": CURSOR})),
                    errors=FOUND, params=[_path_name("name", "The tag, with or without #."), CURSOR_PARAM],
                    tag="Tags"),
    },
    "/members/{username}": {
        "get": _get("A member's public profile.", _json("The profile.", _object({"member": _ref("Member")})),
                    errors=FOUND, params=[_path_name("username", "Their username.")], tag="Members"),
    },
    "/members/{username}/posts": {
        "get": _get("A member's posts, newest first; empty when they keep their activity private.",
                    _json("A page.", _ref("PostList")), errors=FOUND,
                    params=[_path_name("username", "Their username."), CURSOR_PARAM], tag="Members"),
    },
    "/notifications": {
        "get": _get("Your notifications: new ones first, then those read in the last 30 days, 50 lines a page "
                    "(`unread` counts them all; follow `next_cursor` for the rest). Reading marks nothing read.",
                    _json("Your notifications.", _object({"notifications": {"type": "array",
                                                                            "items": _ref("Notification")},
                                                          "unread": {"type": "integer"}, "next_cursor": CURSOR})),
                    errors=SIGNED_IN, params=[CURSOR_PARAM], security=MEMBERS, tag="Notifications"),
    },
    "/notifications/read": {
        "post": {**_write("Mark your notifications read.", {"200": _json("Marked.", _object({
            "marked": {"type": "integer"}, "unread": {"type": "integer"}}))}, tag="Notifications",
            description="Send {\"up_to\": id} with the newest id you showed, so one that arrived meanwhile "
                        "stays unread; an empty body marks everything.", takes_fields=True),
            "requestBody": {"required": False, "content": {"application/json": {"schema": _object(
                {"up_to": {"type": "integer", "minimum": 1}}, optional=("up_to",))}}}},
    },
    "/search": {
        "get": _get("Search posts, replies and hashtags, best match first; treatment guides beside them.",
                    _json("A page of results.", _ref("SearchPage")), tag="Search", params=[
                        {"name": "q", "in": "query", "required": False, "schema": {"type": "string"},
                         "description": "Words; \"quotes\" round a phrase, `or` between alternatives, -word."},
                        {"name": "tag", "in": "query", "required": False, "schema": {"type": "string"}},
                        {"name": "author", "in": "query", "required": False, "schema": {"type": "string"},
                         "description": "A member's name. Matches nothing, with a notice, for a member who keeps "
                                        "their activity private (unless it is you, or you moderate)."},
                        {"name": "within", "in": "query", "required": False,
                         "schema": {"enum": ["day", "week", "month", "year"]}},
                        {"name": "muted", "in": "query", "required": False, "schema": {"enum": ["1"]},
                         "description": "1: include posts in tags you muted."},
                        CURSOR_PARAM]),
    },
    "/openapi.json": {
        "get": _get("This document.", _json("OpenAPI 3.1.", {"type": "object"}), tag="About"),
    },
}

DESCRIPTION = f"""Kindred's JSON API: read the forum as the site shows it to you, and write as yourself.

**Signing in.** Either the browser session (writes then need the page's CSRF token in an `X-CSRFToken` header),
or a personal access token made in Settings → Apps and the API (`/settings/tokens`), sent as
`Authorization: Bearer kdr_…`. A token either reads, or reads and writes; revoking it stops it at once. Tokens
need no CSRF header.

**The site's rules hold.** You see exactly what the site would show you: nothing hidden, held for a moderator
or by someone you blocked (your own held words you do see, marked by `status`). Writes go through the same
checks, rate limits (answered with 429 and `Retry-After`), crisis detection and moderation as the site's forms.

**Errors** all have one shape, `{{"error": {{"code", "title", "message", "fields"}}}}`; 405 answers a method a
path doesn't take, and 422 a body field a write doesn't take (named in `fields`). Lists page with `cursor`
and `next_cursor`. Names are limited: token names to {TOKEN_NAME_MAX} characters.

**If you are building for people in crisis:** when a response carries `care`, show it first. Kindred is peer
support, not a medical service; the help page lists lines people can call or text at any hour."""

#: The document itself. Built once, at import; nothing in it depends on the request.
DOCUMENT: Schema = {
    "openapi": "3.1.0",
    "info": {"title": "Kindred API", "version": "1.0.0", "description": DESCRIPTION},
    "servers": [{"url": "/api/v1"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "token": {"type": "http", "scheme": "bearer",
                      "description": "A personal access token, `kdr_…`, with the read or read+write scope."},
            "session": {"type": "apiKey", "in": "cookie", "name": "session",
                        "description": "The browser's signed-in session."},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                     "description": "The page's CSRF token: writes with the session need it."},
        },
    },
}
