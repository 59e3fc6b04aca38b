"""axe-core in headless Chromium: every page type has no accessibility violation of any impact — anonymous,
member, moderator and admin pages, the moderation item page for a crisis item, settings and errors — at 360 and
1280 px, each in the light and the dark colour scheme. axe-core comes from the npm registry at test time (`make
axe`, run by `make test`, installs it in tests/.axe, which git ignores); without it these tests say they skipped."""
from pathlib import Path

import pytest

from forum.extensions import db
from forum.guides.loader import LIBRARY_DIR, load_library
from forum.models import ModerationItem, Priority, ReasonKind, Role, TokenScope
from forum.services.moderation.actions import take_action
from forum.services.moderation.queue import add_reason
from forum.services.moderation.verdicts import record_verdict
from forum.services.tokens import create_token
from forum.services.watched import add_watched_word
from tests.browser_fixtures import sign_in
from tests.helpers import make_member, make_post, make_reply

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
CRISIS_TEXT = "I want to die and I think tonight is the night."


def axe_violations(page, where: str) -> list[str]:
    """Run axe on the page as it stands: one line per violation, its rule and where it was found."""
    # Evaluated through the DevTools protocol, out of band: the page's strict CSP is not loosened for it.
    page.evaluate(AXE.read_text())
    found = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")["violations"]
    return [f"{where} {page.url} [{rule['impact']}] {rule['id']}: {rule['help']} at "
            + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:3]) for rule in found]


@pytest.fixture
def community(app):
    """A post with a tag and a reply, a crisis post waiting for moderators (already answered once), a member
    with an unread reply, a moderator's message and an access token, a watched word, and a moderator."""
    writer = make_member("willow_writer")
    moderator = make_member("steady_lantern", Role.MODERATOR)
    post = make_post(writer, "Slow mornings", "Getting up is the hardest part. #Depression")
    make_reply(make_member("kind_stranger"), post, "Mornings are hard for me too. Small steps count.")
    crisis = make_post(make_member("night_writer"), "Tonight", CRISIS_TEXT)
    make_reply(make_member("tidepool"), crisis, "I'm here with you. Can you tell us how you are right now?")
    # A message from the moderators: its banner shows on the member's pages until /notices (visited last).
    flagged = make_post(writer, "A long night", "Words for the moderators to read. #Anxiety")
    message_item = add_reason(flagged, ReasonKind.FLAG.value, {"reason": "at_risk"}, Priority.AT_RISK_FLAG)
    take_action(moderator, message_item, message_item.version, "message", message_key="crisis_lines")
    # Answered "was the writer in danger?": its item page shows the answer, the health page counts it.
    record_verdict(moderator, message_item, "in_danger")
    create_token(writer, "my journal app", TokenScope.READ)
    add_watched_word(moderator, "miracle cure", "flag")
    db.session.commit()
    item = db.session.query(ModerationItem).filter_by(post_id=crisis.id).one()
    guides = [f"/guides/{guide.slug}" for guide in load_library(LIBRARY_DIR)]  # their tables differ
    return {
        None: ["/", "/needs-reply", f"/posts/{post.id}", "/tags", "/tags/depression", "/search?q=mornings",
               "/guides", *guides, "/help", "/login", "/register", "/forgot-password", "/no-such-page"],
        writer.username: ["/", "/posts/new", f"/posts/{post.id}", f"/posts/{post.id}/edit", f"/u/{writer.username}",
                          "/settings", "/settings/tokens", "/settings/username", "/settings/delete",
                          "/settings/password", "/notifications/settings", "/my-tags", "/notifications",
                          "/notices"],
        moderator.username: ["/moderation/", f"/moderation/items/{item.id}", f"/moderation/items/{message_item.id}",
                             f"/moderation/history/post/{crisis.id}",
                             "/moderation/log", "/moderation/health", "/moderation/words", "/moderation/tags"],
    }


# All four pairs, each its own test so parallel workers share them out, and each on fresh rows (reading
# /notifications and /notices marks things read: a later pair would not see the unread styles). Within a pair
# each person signs in once and reads every page in that one context.
@pytest.mark.parametrize("width,scheme", [(360, "light"), (360, "dark"), (1280, "light"), (1280, "dark")])
def test_every_page_type_has_no_axe_violations(app, database_url, live_server, browser, community,  # noqa: F811
                                               width, scheme):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: `make axe` fetches it from the npm registry into tests/.axe")
    if not database_url.startswith("sqlite"):
        pytest.skip("axe checks the pages once, on SQLite: they are the same pages on PostgreSQL")
    where = f"{width}-{scheme}"
    violations = []
    for who, paths in community.items():
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        page = context.new_page()
        if who:
            sign_in(page, live_server, who)
        for path in paths:
            page.goto(live_server + path)
            violations += axe_violations(page, where)
        menu = page.locator(".site-menu > summary")
        if menu.is_visible():  # phones: the header's menu, opened, with its badges and links
            menu.click()
            violations += axe_violations(page, where)
        context.close()
    assert violations == [], "\n".join(violations)
