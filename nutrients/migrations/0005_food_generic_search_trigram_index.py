"""A trigram index over the foods that are not branded products, on PostgreSQL only.

FoodQuerySet.search() ranks the generic foods (SR Legacy, users' own) in full and takes
branded products only to fill a page. With 500,000 branded foods in the table, the
0002 index finds "milk" in 28,000 rows; this one, over the generic foods alone, stays
the size of SR Legacy however many branded foods are imported.
"""

from django.db import migrations

INDEX_NAME = "nutrients_food_generic_search_trgm"


def create_generic_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    # The predicate as Django writes search's filter, so that the planner can prove it.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON nutrients_food "
        "USING gin (search_text gin_trgm_ops) WHERE NOT (data_type = 'branded_food')"
    )


def drop_generic_trigram_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("nutrients", "0004_search_everyday_synonyms_versions"),
    ]

    operations = [
        migrations.RunPython(
            create_generic_trigram_index, drop_generic_trigram_index, elidable=False
        ),
    ]
