"""Statements whose SQL Django builds once per process, run again with other values.

Django builds a query's SQL anew each time it runs it. For the few statements that every
add of the diary runs, building them took Django longer than the database takes to answer
them (bench/profile_page.py "add entry"). Each is built here once, with stand-ins for the
values that change from run to run (a user id, a day, entry ids) that no real value
equals; a run puts its own values in the stand-ins' places among the parameters.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from django.db import connection, models
from django.db.models.query import get_related_populators

# Stand-ins that no real user id, diary day, entry id, session key or time equals.
SOME_USER_ID = -7_654_321_987
SOME_DAY = date(1111, 11, 11)
SOME_SESSION_KEY = "stand-in: no session key has a colon"
SOME_TIME = datetime(1111, 11, 11, 11, 11, 11, tzinfo=UTC)


def some_ids(count: int) -> list[int]:
    return [-9_000_000_001 - index for index in range(count)]


def as_parameter(value: Any) -> Any:
    """A value as Django hands it to the database (SQLite takes days and times as text)."""
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def stand_ins_checked(params: Sequence, stand_ins: Iterable) -> tuple:
    """The parameters, once it is sure that each stand-in is among them: one that Django
    wrote into the SQL itself would stay in every run instead of the run's value."""
    for stand_in in stand_ins:
        if as_parameter(stand_in) not in params:
            raise ValueError(f"{stand_in!r} is not among the parameters")
    return tuple(params)


def replaced(params: tuple, values: dict) -> tuple:
    """The parameters with each stand-in (a key of `values`) replaced by its value."""
    by_stand_in = {
        as_parameter(stand_in): as_parameter(value) for stand_in, value in values.items()
    }
    return tuple(by_stand_in.get(param, param) for param in params)


class BuiltRead:
    """A queryset built once: rows() runs its SQL with other values and hands back its
    rows as Django converts them; read() makes them the model instances (select_related
    and annotations too) of a queryset of instances, as Django's ModelIterable does."""

    def __init__(self, queryset: models.QuerySet, stand_ins: Iterable) -> None:
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = stand_ins_checked(params, stand_ins)
        self.compiler = compiler

    def rows(self, values: dict) -> list[tuple]:
        """The rows, with `values` (stand-in → value) in the stand-ins' places."""
        with connection.cursor() as cursor:
            cursor.execute(self.sql, replaced(self.params, values))
            rows = cursor.fetchall()
        return list(self.compiler.results_iter([rows]))

    @cached_property
    def instances(self) -> tuple[type[models.Model], slice, list[str], list]:
        """How read() makes a row an instance, worked out once: the model, its columns in
        the row and their attributes, and the populators of its select_related objects."""
        klass_info, select = self.compiler.klass_info, self.compiler.select
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1]
        columns = slice(first, last + 1)
        attnames = [column[0].target.attname for column in select[columns]]
        related = get_related_populators(klass_info, select, connection.alias)
        return klass_info["model"], columns, attnames, related

    def read(self, values: dict) -> list[models.Model]:
        """The rows as model instances."""
        model, columns, attnames, related = self.instances
        objects = []
        for row in self.rows(values):
            obj = model.from_db(connection.alias, attnames, row[columns])
            for populator in related:
                populator.populate(row, obj)
            for name, position in self.compiler.annotation_col_map.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects
