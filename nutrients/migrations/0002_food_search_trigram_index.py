"""A trigram index for food search on PostgreSQL; nothing on SQLite.

FoodQuerySet.search() filters with `search_text LIKE '% banan%'`. A B-tree cannot serve a
LIKE with a leading wildcard, but a GIN index with pg_trgm's gin_trgm_ops can, so a
search stays fast at hundreds of thousands of foods. SQLite has no such index; at the
size of the SR Legacy table (7.7k foods) a scan is fast enough there.

pg_trgm is a trusted extension (PostgreSQL 13+), so the database owner may create it
without being a superuser. Plain SQL keeps django.contrib.postgres out of INSTALLED_APPS.
"""

from django.db import migrations

INDEX_NAME = "nutrients_food_search_trgm"


def create_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
        "ON nutrients_food USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects may have come to use it since.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("nutrients", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
