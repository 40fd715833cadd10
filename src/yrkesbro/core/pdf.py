"""PDF documents, one way for every app: tagged PDF/UA, the page's language, Inter embedded.

``render_pdf(html)`` turns a print template into PDF bytes with WeasyPrint:

- ``pdf_variant="pdf/ua-1"``: a tagged PDF with a structure tree, so screen readers can
  read headings, lists and tables in order (Norway's universal-design rules cover documents);
- the document language comes from ``<html lang>`` and the title from ``<title>``;
- Inter is embedded from the vendored font files (``PDF_FONTS_CSS``); nothing else is
  fetched: no network, no other files;
- ``PDF_BASE_CSS`` repeats a running header (the document's title, from the element with
  ``class="pdf-running-title"``) and page numbers, and keeps table rows whole.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

FONT_DIR = Path(__file__).resolve().parent / "static" / "vendor" / "inter" / "files"

PDF_BASE_CSS = """
@page {
  size: A4; margin: 22mm 18mm 18mm;
  @top-left { content: string(running-title); font-family: Inter; font-size: 8.5pt; color: #333; }
  @bottom-right { content: counter(page) " / " counter(pages); font-family: Inter; font-size: 8.5pt; }
}
.pdf-running-title { string-set: running-title content(); }
body { font-family: Inter, sans-serif; }
tr, .pdf-keep { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
h1, h2, h3 { break-after: avoid; }
"""


def _font_css() -> str:
    faces = []
    for weight in (400, 500, 600, 700):
        for subset in ("latin", "latin-ext"):
            path = FONT_DIR / f"inter-{subset}-{weight}-normal.woff2"
            if path.exists():
                faces.append(
                    "@font-face { font-family: Inter; font-style: normal; "
                    f"font-weight: {weight}; src: url('{path.as_uri()}') format('woff2'); }}"
                )
    return "\n".join(faces)


def fonts_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that reads the vendored Inter files and nothing else."""
    from weasyprint.urls import URLFetcher

    prefix = FONT_DIR.as_uri() + "/"

    class FontsOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(prefix) and ".." not in url:
                return super().fetch(url, headers)
            raise ValueError(f"PDF rendering fetches no other resources: {url[:80]}")

    return FontsOnly(allowed_protocols=["file"])


def render_pdf(html: str) -> bytes:
    """A tagged (PDF/UA-1) PDF of ``html`` with Inter embedded and the page's language."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = fonts_only_fetcher()
    fonts = FontConfiguration()  # @font-face in our own stylesheets needs it
    stylesheets = [
        CSS(string=_font_css(), url_fetcher=fetcher, font_config=fonts),
        CSS(string=PDF_BASE_CSS, url_fetcher=fetcher, font_config=fonts),
    ]
    document = HTML(string=html, base_url=FONT_DIR.as_uri() + "/", url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(
        stylesheets=stylesheets, font_config=fonts, pdf_variant="pdf/ua-1"
    )
    return pdf


def inflate(pdf: bytes) -> bytes:
    """The PDF with every Flate stream decompressed, for tests and checks that look inside
    (the catalogue's /Lang and /StructTreeRoot may sit in a compressed object stream)."""
    import re
    import zlib

    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
