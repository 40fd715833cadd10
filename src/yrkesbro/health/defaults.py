"""The default item set, written for Yrkesbro.

Modelled on published collaboration instruments: the Wilder Collaboration Factors
Inventory (shared vision, roles, open and frequent communication, shared stake in
decisions), the Partnership Self-Assessment Tool (synergy: achieving more together;
benefits against costs) and Finland's national working-life feedback (practical
cooperation, fit of what is delivered, recommendation). Each item is mirrored: both
sides answer the same words, about "us" and "the other side", so the gap between the
sides' averages is the difference in how they see the same partnership.
"""

from __future__ import annotations

from typing import NamedTuple


class DefaultItem(NamedTuple):
    code: str
    kind: str
    nb: str
    nn: str
    en: str


DEFAULT_ITEMS: tuple[DefaultItem, ...] = (
    DefaultItem(
        "shared_goal",
        "scale",
        "Vi og den andre parten har et felles mål for samarbeidet.",
        "Vi og den andre parten har eit felles mål for samarbeidet.",
        "We and the other side share a goal for this collaboration.",
    ),
    DefaultItem(
        "responsibilities",
        "scale",
        "Vi kjenner den andre partens ansvar og oppgaver.",
        "Vi kjenner ansvaret og oppgåvene til den andre parten.",
        "We know the other side's responsibilities and tasks.",
    ),
    DefaultItem(
        "communication",
        "scale",
        "Kommunikasjonen mellom oss er åpen og hyppig nok.",
        "Kommunikasjonen mellom oss er open og hyppig nok.",
        "Communication between us is open and frequent enough.",
    ),
    DefaultItem(
        "joint_decisions",
        "scale",
        "Viktige beslutninger i samarbeidet tar vi sammen.",
        "Viktige avgjerder i samarbeidet tek vi saman.",
        "We make the important decisions in this collaboration together.",
    ),
    DefaultItem(
        "commitments",
        "scale",
        "Den andre parten holder det den har lovet.",
        "Den andre parten held det han har lova.",
        "The other side keeps its commitments.",
    ),
    DefaultItem(
        "practical",
        "scale",
        "Det praktiske samarbeidet går greit.",
        "Det praktiske samarbeidet går greitt.",
        "Practical cooperation runs smoothly.",
    ),
    DefaultItem(
        "fit",
        "scale",
        "Det den andre parten leverer, passer våre behov.",
        "Det den andre parten leverer, passar behova våre.",
        "What the other side delivers fits our needs.",
    ),
    DefaultItem(
        "worth_it",
        "scale",
        "Nytten av samarbeidet er større enn tiden det koster.",
        "Nytta av samarbeidet er større enn tida det kostar.",
        "The benefits outweigh the time the collaboration costs.",
    ),
    DefaultItem(
        "synergy",
        "scale",
        "Sammen oppnår vi mer enn hver for oss.",
        "Saman oppnår vi meir enn kvar for oss.",
        "Together we achieve more than alone.",
    ),
    DefaultItem(
        "recommend",
        "scale",
        "Jeg vil anbefale dette samarbeidet til andre.",
        "Eg vil tilrå dette samarbeidet til andre.",
        "I would recommend this partnership to others.",
    ),
    DefaultItem(
        "free_text",
        "text",
        "Hva ville gjort samarbeidet bedre?",
        "Kva ville gjort samarbeidet betre?",
        "What would make this collaboration better?",
    ),
)
