"""Write the hostile spreadsheets of issue 17 to tests/fixtures/hostile/ (run once, committed).

Each file is something a real office can produce, or an attacker can upload,
that once broke an importer: see tests/test_hostile_imports.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "hostile"
HEADER = ["programme_id", "school_code", "title", "credits"]


def _xlsx(rows: list[list[object]], cells: dict[str, object] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)  # type: ignore[union-attr]
    for ref, value in (cells or {}).items():
        sheet[ref] = value  # type: ignore[index]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # A cell longer than Python's csv field limit (131,072 characters).
    (OUT / "huge_cell.csv").write_text(
        ",".join(HEADER) + "\nX1,SKOLE," + "a" * 140_000 + ",60\n", encoding="utf-8"
    )
    # A NUL and a vertical tab inside cells.
    (OUT / "control_characters.csv").write_bytes(
        (",".join(HEADER) + "\nX1,SKOLE,Demens\x00omsorg,60\nX2,SKOLE,R\x0bus,60\n").encode()
    )
    # Windows-1252 with semicolons, and commas inside a text (Excel's "CSV (semikolondelt)").
    (OUT / "windows_1252_semicolon.csv").write_bytes(
        (";".join(HEADER) + "\nX1;SKOLE;Omsorg, demens og rus – for små og store;60\n").encode(
            "cp1252"
        )
    )
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined there).
    (OUT / "undecodable.csv").write_bytes(
        (",".join(HEADER) + "\nX1,SKOLE,Demens,60\n").encode() + b"X2,SKOLE,\x81\x8d,60\n"
    )
    # Numbers that str.isdigit() or int() accept but no person means.
    (OUT / "tricky_numbers.csv").write_text(
        ",".join(HEADER)
        + "\nX1,SKOLE,A,6_0\nX2,SKOLE,B,\u0666\u0660\nX3,SKOLE,C, +60 \nX4,SKOLE,D,²\n",
        encoding="utf-8",
    )
    # One cell at the last column (XFD): a tiny file that claims 16,384 columns.
    (OUT / "far_column.xlsx").write_bytes(
        _xlsx([HEADER, ["X1", "SKOLE", "A", 60]], {"XFD2000": "x"})
    )
    # A workbook cut off in the middle.
    whole = _xlsx([HEADER, *[[f"X{i}", "SKOLE", "A", 60] for i in range(200)]])
    (OUT / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])
    # A sheet whose XML holds a control character (invalid XML).
    source = zipfile.ZipFile(io.BytesIO(_xlsx([HEADER, ["X1", "SKOLE", "PLACEHOLDER", 60]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"PLACEHOLDER", b"Demens\x01omsorg")
            target.writestr(item, data)
    (OUT / "control_in_sheet_xml.xlsx").write_bytes(out.getvalue())
    # Not a workbook at all, only named like one.
    (OUT / "not_a_workbook.xlsx").write_bytes(b"PK\x03\x04garbage")


if __name__ == "__main__":
    main()
