"""The health page's charts: each a title, a one-sentence summary, the bars, and the table beside them."""
from __future__ import annotations

from dataclasses import dataclass

from forum.charts import BarChart, bar_chart
from forum.services.moderation.health import HealthReport


@dataclass(frozen=True)
class HealthChart:
    key: str
    title: str
    #: Read first by a screen reader (the SVG's description) and shown under the title.
    summary: str
    chart: BarChart
    series: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[tuple]


def _day(day) -> str:
    return day.strftime("%d %b")


def _total(values) -> int:
    return sum(value for value in values if value is not None)


def _or_dash(value):
    return "–" if value is None else value


def health_charts(report: HealthReport) -> list[HealthChart]:
    daily, weekly = report.daily, report.weekly
    days = [_day(d.day) for d in daily]
    weeks = [f"from {_day(w.start)}" for w in weekly]
    waited = [w.median_reply_hours for w in weekly if w.median_reply_hours is not None]
    acted = [w.median_crisis_minutes for w in weekly if w.median_crisis_minutes is not None]
    return [
        HealthChart("activity", "Posts and replies per day",
                    f"{_total(d.posts for d in daily)} posts and {_total(d.replies for d in daily)} replies "
                    f"in the last {report.days} days.",
                    bar_chart(days, [[d.posts for d in daily], [d.replies for d in daily]]),
                    ("Posts", "Replies"), ("Day", "Posts", "Replies"),
                    [(_day(d.day), d.posts, d.replies) for d in daily]),
        HealthChart("first-reply", "Median time to a first reply, by week (hours)",
                    (f"Weekly medians from {min(waited)} to {max(waited)} hours." if waited
                     else "No post was answered in this period."),
                    bar_chart(weeks, [[w.median_reply_hours for w in weekly]], counts=False),
                    ("Median hours",), ("Week", "Posts", "Median hours to a first reply"),
                    [(w.start.strftime("%d %b %Y"), w.posts, _or_dash(w.median_reply_hours)) for w in weekly]),
        HealthChart("unanswered", "Posts nobody answered within 24 hours, by day",
                    f"{_total(d.unanswered for d in daily)} posts waited more than a day for anyone "
                    "(the last day is not counted until it is a day old).",
                    bar_chart(days, [[d.unanswered for d in daily]]),
                    ("Unanswered",), ("Day", "Posts unanswered after 24 hours"),
                    [(_day(d.day), _or_dash(d.unanswered)) for d in daily]),
        HealthChart("crisis", "Crisis items by week",
                    f"{_total(w.crisis_items for w in weekly)} crisis items in the last {report.days} days.",
                    bar_chart(weeks, [[w.crisis_items for w in weekly]]),
                    ("Crisis items",), ("Week", "Crisis items", "Median minutes to a moderator's first action"),
                    [(w.start.strftime("%d %b %Y"), w.crisis_items, _or_dash(w.median_crisis_minutes))
                     for w in weekly]),
        HealthChart("crisis-response", "Median minutes to a moderator's first action on a crisis item, by week",
                    (f"Weekly medians from {min(acted)} to {max(acted)} minutes." if acted
                     else "No crisis item was acted on in this period."),
                    bar_chart(weeks, [[w.median_crisis_minutes for w in weekly]], counts=False),
                    ("Median minutes",), ("Week", "Median minutes"),
                    [(w.start.strftime("%d %b %Y"), _or_dash(w.median_crisis_minutes)) for w in weekly]),
        HealthChart("flags", "Flags by reason",
                    f"{_total(count for _, count in report.flags)} flags in the last {report.days} days.",
                    bar_chart([name for name, _ in report.flags], [[count for _, count in report.flags]]),
                    ("Flags",), ("Reason", "Flags"), list(report.flags)),
    ]
