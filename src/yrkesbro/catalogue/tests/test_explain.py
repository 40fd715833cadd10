"""The "why it matched" words shown to readers are words, never bare stems."""

from yrkesbro.catalogue.search import surface_words


def test_whole_words_are_shown_as_written():
    assert surface_words(["Kreftomsorg og Lindrende pleie"], {"lindr"}) == {"lindr": "lindrende"}


def test_a_term_found_inside_a_compound_shows_the_compound():
    words = surface_words(iter(["Demensomsorg og alderspsykiatri", "demenssykdommer"]), {"dem"})
    assert words == {"dem": "demensomsorg"}


def test_short_fragments_are_not_guessed():
    assert surface_words(["Demensomsorg"], {"de"}) == {}
