"""The one way to write tabular exports (CSV and XLSX).

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula ("CSV injection"). Every export in OpenRegion goes through this module, which
prefixes such text cells with an apostrophe so they are shown as text. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A cell value that no spreadsheet program runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    if text.lstrip(" ")[:1] in FORMULA_PREFIXES or text[:1] in FORMULA_PREFIXES:
        return "'" + text
    return text


def safe_rows(rows: Iterable[Sequence]) -> Iterable[list]:
    for row in rows:
        yield [neutralise(value) for value in row]


def to_csv(headers: Sequence, rows: Iterable[Sequence]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows(safe_rows(rows))
    return buffer.getvalue()


def to_xlsx(headers: Sequence, rows: Iterable[Sequence], title: str = "Export") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (neutralise(title) or "Export")[:31].replace("/", "-")
    sheet.append([str(neutralise(h)) for h in headers])
    for row in safe_rows(rows):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    safe_name = "".join(c for c in filename if c.isalnum() or c in "-_.") or "export"
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(headers: Sequence, rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """A CSV download (UTF-8 with BOM so Excel reads umlauts) with formulas neutralised."""
    body = "\ufeff" + to_csv(headers, rows)
    return _attachment(HttpResponse(body, content_type=CSV_CONTENT_TYPE), filename)


def xlsx_response(
    headers: Sequence, rows: Iterable[Sequence], filename: str, title: str = "Export"
) -> HttpResponse:
    body = to_xlsx(headers, rows, title)
    return _attachment(HttpResponse(body, content_type=XLSX_CONTENT_TYPE), filename)


def export_response(
    fmt: str, headers: Sequence, rows: Iterable[Sequence], basename: str, title: str = "Export"
) -> HttpResponse:
    """``fmt`` is "csv" or "xlsx"; anything else is treated as CSV."""
    if fmt == "xlsx":
        return xlsx_response(headers, rows, f"{basename}.xlsx", title)
    return csv_response(headers, rows, f"{basename}.csv")
