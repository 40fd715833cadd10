"""The employer's enrolments newest first: a page of them walks this index and stops."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workforce", "0001_employees_enrolments_outcomes_policy"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="enrolment",
            index=models.Index(
                fields=["organisation", "-enrolled_on", "-id"],
                name="workforce_enrolment_org_date",
            ),
        ),
    ]
