"""One search posting per (programme, term), with its impact, instead of one row per field.

The field-weighted frequency that every search summed per programme and term is
stored once (``tenths``), with BM25's term-frequency part at the stamped average
length (``impact``) so that a search can read a term's best postings first and
stop early. The vocabulary gains each term's document frequency (and the
compound parts, which it left out before), so a search no longer counts
postings. The rows are converted here in plain SQL, with the field weights and
BM25 constants of the time frozen below, so search keeps working straight after
the migration and the migration never depends on later analysis code.
"""

# ruff: noqa: S608 - table names and field weights are constants of this migration

import django.db.models.deletion
from django.db import migrations, models

# catalogue.search at the time: FIELD_BOOST in tenths by field number, K1 and B.
BOOST_TENTHS = {0: 30, 1: 20, 2: 10, 3: 8, 4: 15}
K1, B = 1.2, 0.75
DEFAULT_IMPACT_LENGTH = 300.0
DOC_TERM = "#document"


def convert(apps, schema_editor):
    qn = schema_editor.connection.ops.quote_name
    boost = " ".join(f"WHEN {f} THEN {t}" for f, t in sorted(BOOST_TENTHS.items()))
    real = "DOUBLE PRECISION"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn('catalogue_searchposting')} (programme_id, term, tenths, impact)"
            f" SELECT programme_id, term, SUM((CASE field {boost} ELSE 10 END) * tf), 0"
            f" FROM {qn('catalogue_searchterm')} GROUP BY programme_id, term"
        )
        # Every indexed programme holds the document term: its frequency is their number.
        cursor.execute(
            f"INSERT INTO {qn('catalogue_searchposting')} (programme_id, term, tenths, impact)"
            f" SELECT DISTINCT programme_id, %s, 0, 0 FROM {qn('catalogue_searchterm')}",
            [DOC_TERM],
        )
        cursor.execute(
            f"SELECT COUNT(search_length), SUM(search_length) FROM {qn('catalogue_programme')}"
            " WHERE search_length > 0"
        )
        n, total = cursor.fetchone()
        avg = total / n if n and total else DEFAULT_IMPACT_LENGTH
        cursor.execute(
            f"INSERT INTO {qn('catalogue_searchstatistics')} (id, impact_length) VALUES (1, %s)",
            [avg],
        )
        # The vocabulary also holds compound parts now, and every term's frequency.
        vocabulary = qn("catalogue_searchvocabulary")
        cursor.execute(
            f"SELECT DISTINCT term FROM {qn('catalogue_searchposting')}"
            f" WHERE term NOT IN (SELECT term FROM {vocabulary})"
        )
        missing = [row[0] for row in cursor.fetchall()]
        cursor.executemany(
            f"INSERT INTO {vocabulary} (term, reversed_term, df) VALUES (%s, %s, 0)",
            [(term, term[::-1]) for term in missing],
        )
        cursor.execute(
            f"UPDATE {vocabulary} SET df = (SELECT COUNT(*) FROM"
            f" {qn('catalogue_searchposting')} sp WHERE sp.term = {vocabulary}.term)"
        )
        table = qn("catalogue_searchposting")
        cursor.execute(
            f"""UPDATE {table} SET impact = (CAST(tenths AS {real}) / 10) * %s
                / ((CAST(tenths AS {real}) / 10) + %s * (1 - %s + %s * (
                    SELECT CAST(p.search_length AS {real}) FROM {qn("catalogue_programme")} p
                    WHERE p.id = {table}.programme_id
                ) / %s))""",
            [K1 + 1, K1, B, B, avg],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_search_vocabulary_trigram"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchStatistics",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("impact_length", models.FloatField()),
            ],
        ),
        migrations.CreateModel(
            name="SearchPosting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("term", models.CharField(max_length=60)),
                ("tenths", models.PositiveIntegerField()),
                ("impact", models.FloatField()),
                (
                    "programme",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="catalogue.programme",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="searchvocabulary",
            name="df",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(
            name="SearchTerm",
        ),
        migrations.AddIndex(
            model_name="searchposting",
            index=models.Index(
                fields=["term", "-impact", "programme"], name="search_posting_impact"
            ),
        ),
        migrations.AddIndex(
            model_name="searchposting",
            index=models.Index(
                fields=["programme", "term", "tenths"], name="search_posting_programme"
            ),
        ),
    ]
