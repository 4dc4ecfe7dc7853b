"""Load the starter lexicon (checks/data/starter_lexicon.tsv) for the whole platform.

Only missing words are added, so the migration is safe on a database that already has the
entries (``manage.py load_lexicon`` does the same later, e.g. after the file grows).
"""

from django.db import migrations


def load(apps, schema_editor):
    from govportal.checks.lexicon import STARTER_LEXICON
    from govportal.checks.lexicon_io import parse_text

    LexiconEntry = apps.get_model("checks", "LexiconEntry")
    rows, errors = parse_text(STARTER_LEXICON.read_text(encoding="utf-8"))
    if errors:
        raise RuntimeError("starter lexicon has bad rows: " + "; ".join(map(str, errors)))
    existing = set(LexiconEntry.objects.filter(site__isnull=True).values_list("word", flat=True))
    LexiconEntry.objects.bulk_create(
        [
            LexiconEntry(
                word=row.word,
                category=str(row.category),
                severity=str(row.severity),
                suggestion=row.suggestion,
                exceptions="、".join(row.exceptions),
                active=row.active,
                note=row.note,
            )
            for row in rows
            if row.word not in existing and not row.site
        ]
    )


class Migration(migrations.Migration):
    dependencies = [("checks", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
