"""/moderation/health: charts drawn on the server as SVG, each with a table of its numbers, from bounded queries."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.charts import bar_chart, nice_ceiling
from forum.extensions import db
from forum.models import FlagReason, ModerationItem, Role, utcnow
from forum.services.flags import flag_content
from forum.services.moderation.actions import take_action
from forum.services.moderation.health import community_health
from tests.helpers import Visitor, count_queries, make_member, make_post, make_reply

CRISIS_TEXT = "I want to die and I think tonight is the night."


@pytest.mark.parametrize("value,ceiling", [(0, 1), (1, 1), (3, 5), (7, 10), (12, 20), (51, 100), (0.4, 0.5)])
def test_the_axis_tops_out_at_a_round_number(value, ceiling):
    assert nice_ceiling(value) == ceiling


def test_bars_are_as_tall_as_their_values_and_stay_inside_the_chart():
    chart = bar_chart(["a", "b", "c"], [[10, 5, None], [0, 20, 1]], width=300, height=200)
    by_key = {(bar.label, bar.series): bar for bar in chart.bars}
    assert ("c", 0) not in by_key, "a missing value draws no bar"
    assert by_key[("b", 1)].height == pytest.approx(2 * by_key[("a", 0)].height)
    assert by_key[("a", 1)].height == 0
    for bar in chart.bars:
        assert chart.left <= bar.x and bar.x + bar.width <= 300 and bar.y >= 0
        assert bar.y + bar.height == pytest.approx(chart.baseline)
    assert [tick.text for tick in chart.value_ticks] == ["0", "5", "10", "15", "20"]


def test_many_days_keep_their_labels_readable():
    chart = bar_chart([f"d{n}" for n in range(90)], [[1] * 90])
    assert len(chart.label_ticks) <= 6 and len(chart.bars) == 90


def test_counts_step_in_whole_numbers_and_times_need_not():
    assert [tick.text for tick in bar_chart(["a"], [[1]]).value_ticks] == ["0", "1", "2", "3", "4"]
    assert [tick.text for tick in bar_chart(["a"], [[1.5]], counts=False).value_ticks] == ["0", "0.5", "1", "1.5",
                                                                                          "2"]


@pytest.fixture
def community(app, member, other_member, moderator):
    """Three days ago: two posts, one answered after 2 hours, one never; a crisis item acted on after
    30 minutes; two flags."""
    now = utcnow()
    answered = make_post(member, title="Answered", body="Could use some company tonight. #Anxiety")
    alone = make_post(member, title="Alone", body="Nobody around today. #Depression")
    make_reply(other_member, answered, "I'm here.")
    crisis = make_post(other_member, title="Tonight", body=CRISIS_TEXT)
    three_days_ago = now - timedelta(days=3)
    for post in (answered, alone, crisis):
        post.created_at = three_days_ago
    answered.first_response_at = three_days_ago + timedelta(hours=2)
    item = db.session.scalars(select(ModerationItem).where(ModerationItem.post_id == crisis.id)).one()
    take_action(moderator, item, item.version, "message", message_key="checking_in")
    item.opened_at = three_days_ago
    item.first_action_at = three_days_ago + timedelta(minutes=30)
    db.session.commit()
    flag_content(make_member("flagger_one"), alone, FlagReason.SPAM, hide_threshold=3)
    flag_content(make_member("flagger_two"), answered, FlagReason.AT_RISK, hide_threshold=3)
    db.session.commit()
    return now


def test_the_report_counts_days_weeks_and_flags(app, community):
    report = community_health(30, now=community)
    assert len(report.daily) == 30 and report.daily[-1].day == community.date()
    day = next(d for d in report.daily if d.day == (community - timedelta(days=3)).date())
    assert (day.posts, day.unanswered) == (3, 2)  # "Alone" and the crisis post itself had no reply
    assert report.daily[-1].unanswered is None, "today can't have waited 24 hours yet"
    assert sum(d.replies for d in report.daily) == 1
    week = [w for w in report.weekly if w.posts][0]
    assert week.median_reply_hours == 2.0 and week.crisis_items == 1 and week.median_crisis_minutes == 30.0
    assert dict(report.flags) == {"At risk": 1, "Harassment": 0, "Spam": 1, "Medical advice": 0, "Graphic": 0,
                                  "Other": 0}


def test_the_page_draws_each_chart_as_a_named_svg_with_a_table_beside_it(mod_visitor, community):
    page = mod_visitor.get("/moderation/health").get_data(as_text=True)
    svgs = re.findall(r'<svg class="chart"[^>]*aria-labelledby="([^"]+)"', page)
    assert len(svgs) == 6
    for labelled_by in svgs:
        for target in labelled_by.split():
            assert f'id="{target}"' in page
    assert page.count("<table class=\"chart-table\">") == 6 and page.count("<caption") == 6
    assert '<th scope="row">At risk</th><td class="number">1</td>' in page
    assert "<script" not in page.split("<main", 1)[1] and "style=" not in page


def test_the_period_is_30_or_90_days(mod_visitor, community):
    def daily_rows(path):
        page = mod_visitor.get(path).get_data(as_text=True)
        table = page.split('id="activity-table-caption"', 1)[1].split("</table>", 1)[0]
        return table.count('<th scope="row">')

    assert daily_rows("/moderation/health?days=90") == 90
    assert daily_rows("/moderation/health") == daily_rows("/moderation/health?days=7") == 30


def test_the_page_costs_the_same_queries_however_much_was_written(app, mod_visitor, member, other_member):
    mod_visitor.get("/moderation/health")
    with count_queries(db.engine) as empty:
        mod_visitor.get("/moderation/health?days=90")
    for n in range(5):
        post = make_post(member, title=f"Post {n}", body="A heavy day. #Depression")
        make_reply(other_member, post, "Thinking of you.")
    with count_queries(db.engine) as busy:
        assert mod_visitor.get("/moderation/health?days=90").status_code == 200
    assert len(busy) == len(empty)


def test_members_cannot_see_community_health(app, signed_in):
    assert signed_in.get("/moderation/health").status_code == 403
    assert Visitor(app.test_client()).get("/moderation/health").status_code == 302
    admin = Visitor(app.test_client())
    admin.sign_in(make_member("an_admin", Role.ADMIN).username)
    assert admin.get("/moderation/health").status_code == 200
