"""`flask --app forum …` commands."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from forum.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(users)
    app.cli.add_command(tags)
    app.cli.add_command(crisis)
    app.cli.add_command(search)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from forum.moderation.cli import moderation

    app.cli.add_command(moderation)


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill the forum with the demo community (safe to run again: it adds only what's missing)."""
    from forum.demo.seed import DEMO_PASSWORD, seed_demo

    report = seed_demo()
    db.session.commit()
    click.echo(f"Demo: {report.members_created} members, {report.posts_created} posts, "
               f"{report.replies_created} replies and {report.hearts_given} hearts added.")
    click.echo(f"Demo log-ins (password for each: {DEMO_PASSWORD}):")
    for username, role in report.members:
        if role != "member":
            click.echo(f"  {username:<20} {role}")
    members = [name for name, role in report.members if role == "member"]
    click.echo(f"  members: {', '.join(members)}")


@click.group()
def users() -> None:
    """Manage members."""


@users.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(["member", "moderator", "admin"]))
def set_role(username: str, role: str) -> None:
    """Make USERNAME a member, moderator or admin."""
    from forum.services.accounts import find_member

    member = find_member(username)
    if member is None:
        raise click.ClickException(f"No member is called {username!r}.")
    member.role = role
    db.session.commit()
    click.echo(f"{member.username} is now {role}.")


@click.group()
def tags() -> None:
    """Manage hashtags."""


@tags.command("recount")
def tags_recount() -> None:
    """Count every tag's visible posts afresh, correcting any post_count that drifted."""
    from forum.services.tags import recount_hashtags

    corrected = recount_hashtags()
    db.session.commit()
    click.echo(f"Recounted every hashtag; corrected {corrected} post count{'' if corrected == 1 else 's'}.")


@click.group()
def crisis() -> None:
    """The crisis detector."""


@crisis.command("check")
@click.argument("text")
@click.option("--reply", is_flag=True, help="Read TEXT as a reply (short words of one's own are an answer).")
def crisis_check(text: str, reply: bool) -> None:
    """Print the detector's assessment of TEXT: the level, the lexicon's phrases and the model's words."""
    from forum.crisis import assess
    from forum.crisis.combined import operating_points
    from forum.crisis.voice import first_person_share, pronoun_counts

    assessment = assess(text, reply=reply)
    points = operating_points()
    categories = ", ".join(sorted(c.value for c in assessment.categories)) or "-"
    click.echo(f"level: {assessment.level.value}")
    click.echo(f"categories: {categories}")
    click.echo(f"lexicon: {assessment.lexicon_level.value}")
    for match in assessment.matches:
        need = match.category.value if match.category else "distress"
        click.echo(f"  [{match.start}:{match.end}] {text[match.start:match.end]!r} "
                   f"-> {need}, {match.level.value} ({match.rule})")
    click.echo(f"model: {assessment.model.score:.3f} (help card from {points.help}, alarm from "
               f"{points.alarm_alone}, or from {points.alarm_with_lexicon} with the lexicon's crisis)")
    for word, weight in assessment.model.words:
        click.echo(f"  {word!r} +{weight:.2f}")
    if assessment.about_others and not any(pronoun_counts(text)):
        click.echo("voice: a reply with no personal pronoun is spoken to the person it answers, so no alarm from "
                   "the model alone")
    elif assessment.about_others:
        click.echo(f"voice: the writer's own share of its pronouns is {first_person_share(text, reply):.2f}, below "
                   f"{points.alarm_first_person}: mostly about someone else, so no alarm from the model alone")


@crisis.command("outcomes")
def crisis_outcomes() -> None:
    """Measure today's detector on the posts and replies moderators judged: was the writer in danger?"""
    from forum.services.moderation.verdicts import IN_DANGER, NOT_IN_DANGER, outcomes_now

    outcomes = outcomes_now()
    in_danger, not_in_danger = outcomes.judged(IN_DANGER), outcomes.judged(NOT_IN_DANGER)
    left_out = f" ({outcomes.deleted} since deleted by their authors, left out)" if outcomes.deleted else ""
    answered = in_danger + not_in_danger
    click.echo(f"Moderators answered \"was the writer in danger?\" on {answered} "
               f"{'post or reply' if answered == 1 else 'posts and replies'}{left_out}.")
    if not answered:
        click.echo("Nothing to measure yet: the answer is on each moderation item's page.")
        return
    click.echo("Today's detector on them:")
    click.echo(f"  {'':22}{'crisis':>8}{'concern':>9}{'nothing':>9}")
    for verdict, name, total in ((IN_DANGER, "in danger", in_danger), (NOT_IN_DANGER, "not in danger", not_in_danger)):
        row = "".join(f"{outcomes.at(verdict, level):>{width}}"
                      for level, width in (("crisis", 8), ("concern", 9), ("none", 9)))
        click.echo(f"  {f'{name} ({total})':22}{row}")
    alarms = outcomes.at(IN_DANGER, "crisis") + outcomes.at(NOT_IN_DANGER, "crisis")
    if alarms:
        click.echo(f"Crisis alarm: {outcomes.at(IN_DANGER, 'crisis')} of {alarms} were someone in danger "
                   f"(precision {outcomes.at(IN_DANGER, 'crisis') / alarms:.2f}).")
    if in_danger:
        click.echo(f"Writers in danger: {outcomes.at(IN_DANGER, 'crisis')} of {in_danger} got the alarm "
                   f"({outcomes.at(IN_DANGER, 'crisis') / in_danger:.2f}), "
                   f"{outcomes.at(IN_DANGER, 'crisis', 'concern')} a help card "
                   f"({outcomes.at(IN_DANGER, 'crisis', 'concern') / in_danger:.2f}).")
    click.echo("Only what reached the queue could be answered: a writer in danger whom the detector never queued "
               "and nobody flagged is not counted, so these figures overstate how much it catches.")


@crisis.command("scan")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
              help="Only posts and replies written or edited since this date (UTC).")
def crisis_scan(since) -> None:
    """Re-assess posts and replies with the current lexicon; open items for newly found danger."""
    from datetime import timezone

    from forum.models import Post, Reply
    from forum.services.safety import assess_and_escalate, content_to_rescan, open_item_ids

    since = since.replace(tzinfo=timezone.utc) if since else None
    before = open_item_ids()
    levels: dict[str, int] = {"none": 0, "concern": 0, "crisis": 0}
    work = [(model, content_id) for model in (Post, Reply) for content_id in content_to_rescan(model, since)]
    with click.progressbar(work, label="Assessing", show_pos=True) as bar:
        for done, (model, content_id) in enumerate(bar, start=1):
            content = db.session.get(model, content_id)
            levels[assess_and_escalate(content).level.value] += 1
            if done % 500 == 0:
                db.session.commit()
                db.session.expunge_all()  # keep memory flat on a large forum
    db.session.commit()
    opened = sorted(open_item_ids() - before)
    click.echo(f"Assessed {len(work)}: " + ", ".join(f"{count} {level}" for level, count in levels.items()))
    ids = f" (ids {', '.join(map(str, opened))})" if opened else ""
    click.echo(f"Newly opened moderation items: {len(opened)}{ids}")


@click.group()
def search() -> None:
    """The full-text search index."""


@search.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from every post and reply (writes keep it in step; this is a repair tool)."""
    from forum.services.search import backend, reindex, reindex_steps

    with click.progressbar(length=reindex_steps(), label="Indexing", show_pos=True) as bar:
        documents = reindex(bar.update)
    db.session.commit()
    how = ("FTS5 table rebuilt" if backend().name == "sqlite"
           else "GIN indexes rebuilt from the generated columns")
    click.echo(f"Search index ready: {documents} posts and replies ({how}).")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace PATH if it already exists.")
def backup_command(path: Path, force: bool) -> None:
    """Write a consistent copy of the database to PATH while the forum serves."""
    from forum.backup import BackupError, backup_database, database_label

    try:
        written = backup_database(db.engine.url, path, force=force)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {written.path} ({written.size:,} bytes): {database_label(db.engine.url)}, "
               f"by {written.method}.")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Restore the backup at PATH into the configured database, which must be empty."""
    from alembic.script import ScriptDirectory
    from flask import current_app

    from forum.backup import BackupError, database_label, restore_database

    try:
        restored = restore_database(db.engine.url, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    finally:
        db.engine.dispose()  # pooled connections may have seen the database before the restore
    click.echo(f"Restored {path} into {database_label(db.engine.url)}, by {restored.method}.")
    heads = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config()).get_heads()
    if restored.revision in heads:
        click.echo(f"Its schema is current (revision {restored.revision}).")
    else:
        click.echo(f"Its schema is at revision {restored.revision}; run `flask --app forum db upgrade` "
                   f"to bring it to {', '.join(heads)}.")
