"""The search vocabulary for typo look-ups, with a pg_trgm trigram index on PostgreSQL.

``pg_trgm`` is a trusted extension (PostgreSQL 13+), so the database owner can
create it without being a superuser; on SQLite both PostgreSQL steps do nothing.
The index itself is rebuilt with the new analysis (compound parts) by
``catalogue.search.reindex_if_outdated`` (the worker's daily sweep, ``yrkesbro
demo`` and ``yrkesbro reindex_catalogue``), not here, so this migration never
depends on the current shape of the programme table.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

TRIGRAM_INDEX = "catalogue_searchvocabulary_term_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
        "ON catalogue_searchvocabulary USING gin (term gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_programme_own_competence_areas"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.CreateModel(
            name="SearchVocabulary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=60, unique=True)),
                ("reversed_term", models.CharField(db_index=True, max_length=60)),
            ],
        ),
        migrations.AddIndex(
            model_name="programme",
            index=models.Index(fields=["search_length"], name="programme_search_length"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
