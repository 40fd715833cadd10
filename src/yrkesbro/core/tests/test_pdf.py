"""Documents are tagged PDF/UA with the page's language and Inter embedded."""

from __future__ import annotations

import pytest

from yrkesbro.core.pdf import inflate, render_pdf

HTML = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Avtale</title></head>
<body><main><p class="pdf-running-title">Avtale · versjon 2</p><h1>Avtale</h1>
<table><caption>Signaturar</caption><thead><tr><th scope="col">Part</th><th scope="col">Signert av</th></tr></thead>
<tbody>{rows}</tbody></table><img src="http://example.invalid/x.png" alt=""></main></body></html>"""


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_pdf_is_tagged_with_language_and_inter(lang: str) -> None:
    rows = "".join(f"<tr><th scope='row'>Part {i}</th><td>Kari {i}</td></tr>" for i in range(80))
    pdf = render_pdf(HTML.format(lang=lang, rows=rows))
    body = inflate(pdf)
    assert pdf.startswith(b"%PDF")
    assert b"/StructTreeRoot" in body, "no structure tree: the PDF is not tagged"
    assert f"/Lang ({lang})".encode() in body
    assert b"/MarkInfo" in body
    assert b"+Inter" in body, "Inter is not embedded"
    assert b"DejaVu" not in body
    assert b"/Type /Page\n" in body or b"/Type /Page " in body or b"/Type /Page/" in body


def test_pdf_fetches_nothing_but_the_fonts() -> None:
    from yrkesbro.core.pdf import FONT_DIR, fonts_only_fetcher

    fetcher = fonts_only_fetcher()
    with pytest.raises(ValueError):
        fetcher("http://example.invalid/x.png")
    with pytest.raises(ValueError):
        fetcher("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher(FONT_DIR.as_uri() + "/../../../../settings.py")
    font = fetcher(FONT_DIR.as_uri() + "/inter-latin-400-normal.woff2")
    assert font.read(4) == b"wOF2"
