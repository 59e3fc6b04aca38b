"""Keyset (cursor) pagination: page N costs what page 1 costs, and rows don't shift under a reader."""
from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, func, or_

T = TypeVar("T")


class BadCursor(ValueError):
    """The cursor in the URL was not one we made."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(values: tuple[Any, ...]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


#: Sort columns are 32-bit integers on PostgreSQL; a cursor beyond them was not made here.
CURSOR_INT_RANGE = range(-2**31, 2**31)


def decode_cursor(cursor: str, kinds: tuple[type, ...]) -> tuple[Any, ...]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError
        return tuple(_cursor_value(value, kind) for value, kind in zip(raw, kinds, strict=True))
    except (ValueError, TypeError, UnicodeDecodeError, RecursionError) as error:
        raise BadCursor(cursor) from error


def _cursor_value(value: Any, kind: type) -> Any:
    """One value of a cursor, exactly as encode_cursor wrote it: aware datetimes, in-range integers."""
    if kind is datetime:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is None or moment.utcoffset() is None:
            raise ValueError("cursor times carry their UTC offset")
        return moment
    if kind is int:
        if type(value) is not int or value not in CURSOR_INT_RANGE:
            raise ValueError("cursor integers are 32-bit")
        return value
    if not isinstance(value, kind):
        raise TypeError(f"cursor value {value!r} is not a {kind.__name__}")
    return value


def keyset_page(session, stmt: Select, sort_columns: tuple, descending: bool, cursor: str | None,
                per_page: int, key_of=None) -> Page:
    """Run `stmt` ordered by `sort_columns` (the last one unique), starting after `cursor`.

    `key_of(row)` returns the row's values for the sort columns; by default their attributes.
    """
    kinds = tuple(_python_type(column) for column in sort_columns)
    if cursor:
        stmt = stmt.where(_after(sort_columns, decode_cursor(cursor, kinds), descending))
    order = [column.desc() if descending else column.asc() for column in sort_columns]
    rows = list(session.scalars(stmt.order_by(*order).limit(per_page + 1)).unique())
    key_of = key_of or (lambda row: tuple(getattr(row, column.key) for column in sort_columns))
    next_cursor = encode_cursor(key_of(rows[per_page - 1])) if len(rows) > per_page else None
    return Page(items=rows[:per_page], next_cursor=next_cursor)


def _after(columns: tuple, values: tuple, descending: bool):
    """(a, b) < (x, y) spelled out: a <= x AND (a < x OR (a = x AND b < y)); > when ascending.

    The OR alone is exact, but PostgreSQL reads it as a filter and walks the index from the first row; the
    redundant leading bound is a range both databases seek to. Rows tied on `a` still pass it, and the OR
    orders them by `b`.
    """
    first, cursor_first = columns[0], values[0]
    leading_bound = first <= cursor_first if descending else first >= cursor_first
    clauses = []
    for i, column in enumerate(columns):
        equal_before = [columns[j] == values[j] for j in range(i)]
        beyond = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_before, beyond))
    return and_(leading_bound, or_(*clauses))


def _python_type(column) -> type:
    """The Python type of a sort column, looking through type decorators such as UTCDateTime."""
    python_type = getattr(column.type, "impl", column.type).python_type
    return datetime if issubclass(python_type, datetime) else python_type


def cursor_of_page_holding(session, stmt: Select, sort_columns: tuple, descending: bool, key: tuple,
                           per_page: int) -> str | None:
    """The cursor of the page holding the row of `stmt` whose sort key is `key`, pages of `per_page` counted from
    the first (as `keyset_page`'s next links reach them); None for the first page. One query.

    The row is number n (from 1) among the rows sorting at or before it; its page starts at index
    s = (n - 1) - (n - 1) % per_page (from 0), and that page's cursor is row s - 1: (n - 1) % per_page + 1 rows
    back from the row itself. So the query walks back from the row that far, with the count in its OFFSET.
    """
    through = stmt.where(~_after(sort_columns, key, descending))
    count = through.with_only_columns(func.count()).order_by(None).scalar_subquery()
    backwards = [column.asc() if descending else column.desc() for column in sort_columns]
    found = session.execute(through.with_only_columns(*sort_columns).order_by(*backwards)
                            .offset((count - 1) % per_page + 1).limit(1)).first()
    return encode_cursor(tuple(found)) if found is not None else None
