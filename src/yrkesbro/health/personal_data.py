"""Personal data held by collaboration health: who took part (never what they answered)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare

declare(
    "health.Participation",
    fields=["user"],
    purpose=(
        _(
            "Stop a person from answering a round twice; says only that someone of a "
            "party answered, never what"
        )
    ),
    retention=_("Deleted with the round or on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "health.Response",
    fields=["free_text"],
    purpose=_("Anonymous survey answers: stored without any link to the person who gave them"),
    retention=_("Kept with the round; shown only as side figures above the threshold"),
    subject=_("anonymous respondent (no link to a person)"),
    erase="keep",
)
declare(
    "health.ItemSet",
    fields=["created_by"],
    purpose=_("Which platform administrator published a version of the questionnaire"),
    retention=_("As long as the version; the name goes with the account"),
    person="created_by",
    erase="keep",
)
declare(
    "health.Round",
    fields=["started_by"],
    purpose=_("Who started a survey round"),
    retention=_("As long as the round; the name goes with the account"),
    person="started_by",
    erase="keep",
)
