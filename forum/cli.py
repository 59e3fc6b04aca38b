"""`flask --app forum …` commands."""
from __future__ import annotations

import click
from flask import Flask

from forum.extensions import db


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(users)


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
