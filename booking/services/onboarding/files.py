"""Uploads to rows and rows to files: one XLSX workbook with a sheet each, or CSV files
(one per sheet, named after it, or several in a zip). Pure: bytes in, bytes out."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import time

from openpyxl import Workbook, load_workbook

from booking.domain.errors import N_, InvalidInput
from booking.services.onboarding.sheets import COLUMNS, Tables

#: Largest upload read, and most rows a sheet may have (a region has tens, not thousands).
MAX_UPLOAD_BYTES = 2_000_000
MAX_ROWS = 2_000
#: Largest file a zip may unpack to, so a small zip cannot fill the memory.
MAX_UNPACKED_BYTES = 10_000_000


class UnreadableSheet(InvalidInput):
    code = "unreadable_sheet"
    message = N_(
        "This file cannot be read: upload an XLSX workbook, CSV files or a zip of CSV files."
    )


class TooLarge(InvalidInput):
    code = "sheet_too_large"
    message = N_("This file is too large: at most 2 MB and 2,000 rows a sheet.")


def read_upload(files: Sequence[tuple[str, bytes]]) -> dict[str, list[dict[str, str]]]:
    """Rows per sheet from uploaded files; a sheet's name is its XLSX tab or CSV file name."""
    if sum(len(data) for _, data in files) > MAX_UPLOAD_BYTES:
        raise TooLarge("file")
    tables: dict[str, list[dict[str, str]]] = {}
    for name, data in files:
        lower = name.lower()
        try:
            if lower.endswith(".xlsx"):
                tables.update(_xlsx(data))
            elif lower.endswith(".zip"):
                tables.update(_zip(data))
            elif lower.endswith(".csv"):
                tables[_stem(name)] = _csv(data)
            else:
                raise UnreadableSheet("file")
        except (zipfile.BadZipFile, UnicodeDecodeError, csv.Error, KeyError, ValueError) as e:
            raise UnreadableSheet("file") from e
    if not tables:
        raise UnreadableSheet("file")
    return tables


def _stem(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip().lower()


def _limited(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    if len(rows) > MAX_ROWS:
        raise TooLarge("file")
    return rows


def _csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    return _records(row for row in reader)


def _records(rows) -> list[dict[str, str]]:
    """Rows as dicts keyed by the header's lower-case names."""
    header: list[str] | None = None
    found = []
    for row in rows:
        cells = ["" if v is None else str(v) for v in row]
        if header is None:
            header = [c.strip().lower() for c in cells]
            continue
        found.append(dict(zip(header, cells, strict=False)))
        _limited(found)
    return found


def _zip(data: bytes) -> dict[str, list[dict[str, str]]]:
    tables = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv")]
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise TooLarge("file")
        for member in members:
            tables[_stem(member.filename)] = _csv(archive.read(member))
    return tables


def _xlsx(data: bytes) -> dict[str, list[dict[str, str]]]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {
            sheet.title.strip().lower(): _records(_cells(sheet.iter_rows(values_only=True)))
            for sheet in book.worksheets
        }
    finally:
        book.close()


def _cells(rows):
    """XLSX values as the text a CSV would hold: whole numbers without ".0", times HH:MM."""
    for row in rows:
        yield [_text(v) for v in row]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return str(value)


def write_xlsx(tables: Mapping[str, Sequence[Mapping[str, str]]]) -> bytes:
    """One workbook, a sheet per table in the documented order, every cell text."""
    book = Workbook()
    book.remove(book.active)
    for sheet, columns in COLUMNS.items():
        page = book.create_sheet(sheet)
        page.append(list(columns))
        for n, row in enumerate(tables.get(sheet, ()), start=2):
            for m, column in enumerate(columns, start=1):
                cell = page.cell(n, m, row.get(column, ""))
                # Text, never a formula: "=..." stays what was typed, in Excel too.
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def write_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode()


def write_zip(tables: Tables) -> bytes:
    """A zip with one CSV file per sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, columns in COLUMNS.items():
            archive.writestr(f"{sheet}.csv", write_csv(tables.get(sheet, ()), columns))
    return out.getvalue()
