"""Copy the pinned front-end packages from node_modules into the static files.

Run by `make assets` after `npm ci`. Only what the pages use is copied:
Designsystemet's CSS and default theme, and Inter in the weights we use.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
TARGET = ROOT / "src" / "yrkesbro" / "core" / "static" / "vendor"
WEIGHTS = (400, 500, 600, 700)
SUBSETS = ("latin", "latin-ext")


def main() -> int:
    ds = NODE / "@digdir" / "designsystemet-css" / "dist"
    inter = NODE / "@fontsource" / "inter"
    if not ds.exists() or not inter.exists():
        print("node_modules is missing; run `npm ci` first.", file=sys.stderr)
        return 1
    shutil.rmtree(TARGET, ignore_errors=True)
    (TARGET / "designsystemet").mkdir(parents=True)
    shutil.copy(ds / "src" / "index.css", TARGET / "designsystemet" / "designsystemet.css")
    shutil.copy(ds / "theme" / "designsystemet.css", TARGET / "designsystemet" / "theme.css")
    shutil.copy(ds.parent / "LICENSE", TARGET / "designsystemet" / "LICENSE")
    fonts = TARGET / "inter" / "files"
    fonts.mkdir(parents=True)
    faces = []
    for subset in SUBSETS:
        for weight in WEIGHTS:
            name = f"inter-{subset}-{weight}-normal.woff2"
            shutil.copy(inter / "files" / name, fonts / name)
            css = (inter / f"{weight}.css").read_text(encoding="utf-8")
            # Keep the face and its unicode-range, pointing at the woff2 file only.
            faces.append(_woff2_only(css, subset, weight, name))
    (TARGET / "inter" / "inter.css").write_text("\n".join(faces), encoding="utf-8")
    shutil.copy(inter / "LICENSE", TARGET / "inter" / "LICENSE")
    print(f"Assets copied to {TARGET.relative_to(ROOT)}")
    return 0


def _woff2_only(css: str, subset: str, weight: int, file_name: str) -> str:
    start = css.index(f"/* inter-{subset}-{weight}-normal */")
    block = css[start : css.index("}", start) + 1]
    src_start = block.index("src:")
    src_end = block.index(";", src_start)
    return block[:src_start] + f"src: url(./files/{file_name}) format('woff2')" + block[src_end:]


if __name__ == "__main__":
    sys.exit(main())
