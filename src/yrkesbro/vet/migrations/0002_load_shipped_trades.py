"""Load the shipped, checked trades register (data/trades.csv) so every instance has it."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from yrkesbro.vet.register import TRADES_FILE, parse_file

    trade = apps.get_model("vet", "Trade")
    if trade.objects.exists():
        return
    parsed = parse_file(TRADES_FILE.read_bytes(), TRADES_FILE.name)
    trade.objects.bulk_create(
        [
            trade(
                code=r.code,
                name=r.name,
                programme_code=r.programme_code,
                programme_name=r.programme_name,
            )
            for r in parsed.rows
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("vet", "0001_trades_offers_placements_hospitering")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
