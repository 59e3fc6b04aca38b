"""Rate limits that the site's forms and the JSON API share: one bucket per kind of write, so a script can't
double what a member may do by alternating between the two."""
from __future__ import annotations

from forum.extensions import limiter

#: New posts (the composer, POST /api/v1/posts).
new_posts = limiter.shared_limit("30 per hour", scope="new-posts", methods=["POST"])
#: New replies (the reply box, POST /api/v1/posts/<id>/replies).
new_replies = limiter.shared_limit("60 per hour", scope="new-replies", methods=["POST"])
#: Hearts sent or taken back, on posts and replies alike.
hearts = limiter.shared_limit("300 per hour", scope="hearts")
#: Flags on posts and replies.
flags = limiter.shared_limit("60 per hour", scope="flags", methods=["POST"])
