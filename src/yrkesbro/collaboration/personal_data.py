"""Personal data in collaboration: representatives, liaisons, forum members, meeting
attendance, logged contacts, signatures, action owners, notifications, calendar feeds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yrkesbro.core.personal_data import declare

ROLE = _("Show who anchors and runs the partnership, as its parties agreed")

declare(
    "collaboration.Partnership",
    fields=["created_by"],
    purpose=_("Who started the partnership"),
    retention=_("As long as the partnership; the name goes with the account"),
    person="created_by",
    erase="keep",
)
declare(
    "collaboration.Representative",
    fields=["user"],
    purpose=ROLE,
    retention=_("Until removed; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "collaboration.Liaison",
    fields=["user"],
    purpose=ROLE,
    retention=_("Until removed; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "collaboration.ContactEntry",
    fields=["author"],
    purpose=_("Who logged a contact between the parties"),
    retention=_("As long as the partnership; the author is removed on a deletion request"),
    person="author",
)
declare(
    "collaboration.AgreementVersion",
    fields=["created_by"],
    purpose=_("Who wrote a version of an agreement"),
    retention=_("As long as the agreement; the name goes with the account"),
    person="created_by",
    erase="keep",
    notes=[
        "The free-text contacts and signatories fields may name people; they are part of "
        "the signed document and are not changed by a deletion."
    ],
)
declare(
    "collaboration.Signature",
    fields=["user"],
    purpose=_("Who signed an agreement for a party (the signed record must stay)"),
    retention=_("As long as the agreement; the account is anonymised on a deletion request"),
    person="user",
    erase="keep",
)
declare(
    "collaboration.Forum",
    fields=["people"],
    purpose=_("The members of a forum or council"),
    retention=_("Until removed from the forum"),
    person="people",
    erase="keep",
)
declare(
    "collaboration.Meeting",
    fields=["attendees", "other_attendees"],
    purpose=_("Attendance at meetings, which shows whether a structure is alive"),
    retention=_("As long as the partnership; attendance stays with an anonymised account"),
    person="attendees",
    erase="keep",
)
declare(
    "collaboration.ActionItem",
    fields=["owner"],
    purpose=_("Who is responsible for an action from a meeting"),
    retention=_("As long as the meeting; the person is removed on a deletion request"),
    person="owner",
)
declare(
    "collaboration.Notification",
    fields=["user", "subject", "body"],
    purpose=_("Notices and reminders sent to a person"),
    retention=_("Deleted after one year"),
    person="user",
    erase="delete",
    retention_days=365,
    retention_field="created_at",
)
declare(
    "collaboration.CalendarFeed",
    fields=["user"],
    purpose=_("A person's private calendar feed address"),
    retention=_("Until revoked; deleted on a deletion request"),
    person="user",
    erase="delete",
)
declare(
    "collaboration.PartnershipParty",
    fields=["invited_by"],
    purpose=_("Who invited an organisation to be a party (consent to the partnership)"),
    retention=_("As long as the partnership; the name goes with the account"),
    person="invited_by",
    erase="keep",
)
