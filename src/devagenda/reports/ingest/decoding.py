"""Bytes to text for text exports, with errors that say where the bytes went wrong.

Exports come from Word on different machines: UTF-8 with or without a BOM, UTF-16 with a
BOM, or GB18030 from Chinese Windows; line ends vary. Bytes that are mostly valid UTF-8
but broken somewhere are reported at the broken byte rather than reread as GB18030, which
would turn the whole file into plausible-looking nonsense.
"""

from __future__ import annotations

import codecs
import re

from devagenda.core.errors import ReportFormatError

BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Most of a real UTF-8 file decodes; a GB18030 file almost never decodes as UTF-8 at all.
MAX_BROKEN_SHARE_OF_UTF8 = 0.02
# Control characters other than tab, line and page breaks; text never has many.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
MAX_CONTROL_SHARE = 0.01
# What the codecs say when the bytes stop before a character is complete.
CUT_OFF_REASONS = ("unexpected end of data", "truncated data", "incomplete multibyte sequence")


def decode_report(data: bytes, path: str | None = None) -> str:
    """The text of an exported report, with line ends made "\\n"."""
    if not data.strip():
        raise ReportFormatError("the file is empty", path=path, line=1)
    text = _decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _reject_binary(text, path)
    return text


def _decode(data: bytes, path: str | None) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _strict(data, encoding, path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if _mostly_utf8(data):
            raise _decode_error(data, "utf-8", error, path) from None
    return _strict(data, "gb18030", path)


def _strict(data: bytes, encoding: str, path: str | None) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _decode_error(data, encoding, error, path) from None


def _mostly_utf8(data: bytes) -> bool:
    decoded = data.decode("utf-8", errors="replace")
    broken = decoded.count("\ufffd")
    non_ascii = sum(1 for char in decoded if ord(char) > 127)
    return non_ascii > broken and broken <= MAX_BROKEN_SHARE_OF_UTF8 * non_ascii


def _decode_error(
    data: bytes, encoding: str, error: UnicodeDecodeError, path: str | None
) -> ReportFormatError:
    before = data[: error.start].decode(encoding, errors="replace")
    line = before.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    if error.end >= len(data) and error.reason in CUT_OFF_REASONS:
        return ReportFormatError(
            f"the file ends in the middle of a character (byte {error.start}): it was cut off, "
            "export or copy it again",
            path=path,
            line=line,
        )
    return ReportFormatError(
        f"cannot decode byte {data[error.start]:#04x} at offset {error.start} as {encoding}",
        path=path,
        line=line,
    )


def _reject_binary(text: str, path: str | None) -> None:
    first = CONTROL.search(text)
    if first is None:
        return
    if "\x00" in text or len(CONTROL.findall(text)) > MAX_CONTROL_SHARE * len(text):
        line = text.count("\n", 0, first.start()) + 1
        raise ReportFormatError(
            f"binary data (control character {ord(first.group()):#04x}), not a text export",
            path=path,
            line=line,
        )
