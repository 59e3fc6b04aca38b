"""axe-core in headless Chromium: the main page types have no accessibility violation of any impact, at 360 and
1280 px, light and dark. axe-core comes from the npm registry at test time (`make axe`, run by `make test`,
installs it in tests/.axe, which git ignores); without it these tests say they skipped."""
from pathlib import Path

import pytest

from forum.extensions import db
from forum.guides.loader import LIBRARY_DIR, load_library
from forum.models import ModerationItem, Role
from tests.browser_fixtures import sign_in
from tests.helpers import make_member, make_post, make_reply

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
CRISIS_TEXT = "I want to die and I think tonight is the night."


def axe_violations(page) -> list[str]:
    """Run axe on the page as it stands: one line per violation, its rule and where it was found."""
    # Evaluated through the DevTools protocol, out of band: the page's strict CSP is not loosened for it.
    page.evaluate(AXE.read_text())
    found = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")["violations"]
    return [f"{page.url} [{rule['impact']}] {rule['id']}: {rule['help']} at "
            + ", ".join(" ".join(node["target"]) for node in rule["nodes"][:3]) for rule in found]


@pytest.fixture
def community(app):
    """A post with a tag and a reply, a crisis post waiting for moderators, a member and a moderator."""
    writer = make_member("willow_writer")
    post = make_post(writer, "Slow mornings", "Getting up is the hardest part. #Depression")
    make_reply(make_member("kind_stranger"), post, "Mornings are hard for me too. Small steps count.")
    make_post(make_member("night_writer"), "Tonight", CRISIS_TEXT)
    make_member("steady_lantern", Role.MODERATOR)
    item = db.session.query(ModerationItem).one()
    guides = [f"/guides/{guide.slug}" for guide in load_library(LIBRARY_DIR)]  # their tables differ
    return {
        None: ["/", "/needs-reply", f"/posts/{post.id}", "/tags", "/tags/depression", "/search?q=mornings",
               "/guides", *guides, "/help", "/login", "/register", "/no-such-page"],
        writer.username: ["/", "/posts/new", f"/u/{writer.username}", "/settings", "/notifications", "/notices"],
        "steady_lantern": ["/moderation/", f"/moderation/items/{item.id}", "/moderation/log", "/moderation/health"],
    }


# Each width and each colour scheme once (a phone in light, a desktop in dark): all four pairs cost the suite
# another two minutes, and the rules that differ between them (contrast, reflow) are each met here.
@pytest.mark.parametrize("width,scheme", [(360, "light"), (1280, "dark")])
def test_main_pages_have_no_axe_violations(app, database_url, live_server, browser, community,  # noqa: F811
                                           width, scheme):
    if not AXE.exists():
        pytest.skip("axe-core is not installed: `make axe` fetches it from the npm registry into tests/.axe")
    if not database_url.startswith("sqlite"):
        pytest.skip("axe checks the pages once, on SQLite: they are the same pages on PostgreSQL")
    violations = []
    for who, paths in community.items():
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        page = context.new_page()
        if who:
            sign_in(page, live_server, who)
        for path in paths:
            page.goto(live_server + path)
            violations += axe_violations(page)
        menu = page.locator(".site-menu > summary")
        if menu.is_visible():  # phones: the header's menu, opened, with its badges and links
            menu.click()
            violations += axe_violations(page)
        context.close()
    assert violations == [], "\n".join(violations)
