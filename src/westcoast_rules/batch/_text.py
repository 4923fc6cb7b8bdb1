"""Logs as text: CSV and JSON Lines, read row by row, a bad row reported without stopping.

A CSV record may span lines (a quoted field may hold a line break), but a stray quote must not
swallow the rest of the log: a record is at most :data:`_CONTINUATION` lines, and the lines of
one that does not close are read again from the second. Lines end at ``\n`` only, as the
cutting of a file into pieces counts them. A CSV file is read a block of whole lines at a time
(:class:`TextBlocks`), and a block without a quote or a stray carriage return is split into
its lines at once. Each row's values go to the row reader of
:mod:`~westcoast_rules.batch.log`.
"""

from __future__ import annotations

import csv
import json
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from itertools import chain
from operator import itemgetter
from typing import IO, Any, Final

from westcoast_rules.batch.log import (
    COLUMN_SET,
    LOG_COLUMNS,
    Entry,
    RowError,
    RowReader,
    text_or_none,
)
from westcoast_rules.errors import DataError

__all__ = ["READERS", "TextBlocks", "csv_columns", "entries", "line_ticket"]


_BOM: Final = "\ufeff"


def csv_columns(text: str) -> list[str]:
    """The column names of a CSV header line as a log's header is read: a byte order mark,
    spaces and capitals forgiven."""
    fields = next(csv.reader([text.removeprefix(_BOM)]), [])
    return [column.strip().lower() for column in fields]


def line_ticket(text: str, columns: Sequence[str]) -> str | None:
    """The ticket of a CSV line that is no good row, as a log's grouping sees it, read without
    a CSV parser (as the cutting of a file into pieces reads it): its ticket column when it
    splits into the header's columns, else its first field; ``None`` when that is empty."""
    values = text.rstrip("\r\n").split(",")
    if len(values) == len(columns):
        return values[columns.index("ticket")] or None
    return values[0] or None


def _csv_header(
    text: str, name: str, reader: RowReader
) -> tuple[list[str], Callable[[list[str]], Sequence[str]] | None]:
    """The columns a CSV log's header names, checked by the row reader (a byte order mark,
    spaces and capitals are forgiven; a column the log does not have is refused, by name), and
    what puts a row's fields, and an empty one past them, in the order of LOG_COLUMNS: ``None``
    when they are in that order."""
    if not text.strip():
        raise DataError(
            f"the first line is empty: a CSV log starts with its header, {','.join(LOG_COLUMNS)}",
            source=name,
            line=1,
        )
    try:
        header = csv_columns(text)
    except csv.Error as exc:
        raise DataError(f"the header is not a CSV row: {exc}", source=name, line=1) from None
    places = reader.columns(header, "the header", source=name, line=1)
    if tuple(header) == LOG_COLUMNS:
        return header, None
    # columns in another order, or some missing: put them in LOG_COLUMNS' order
    width = len(header)
    return header, itemgetter(*(width if place is None else place for place in places))


_CONTINUATION: Final = 16
"""How many lines one CSV record may span: a quoted field may hold a line break, but a stray
quote must not swallow the rest of a log."""

_Line = tuple[int, str]

_BLOCK: Final = 1 << 16
"""How many characters of a text file are read at once, with the rest of the line they end in."""


class TextBlocks:
    """The text of a file opened with its lines split on ``\\n`` only, a block of whole lines
    at a time (the file's last line may have no end), after its *first* line if given: what
    :func:`csv_rows` reads fastest."""

    def __init__(self, file: IO[str], first: str = "") -> None:
        self._read = file.read
        self._readline = file.readline
        self._first = first

    def __iter__(self) -> TextBlocks:
        return self

    def __next__(self) -> str:
        if self._first:
            block, self._first = self._first, ""
            return block
        block = self._read(_BLOCK)
        if not block:
            raise StopIteration
        if block[-1] != "\n":
            block += self._readline()
        return block


def _lines_of(block: str) -> Iterator[str]:
    """The lines of a block of whole lines, each with its ``\\n`` (the last may have none)."""
    lines = block.split("\n")
    last = lines.pop()  # empty when the block ends its last line
    yield from (line + "\n" for line in lines)
    if last:
        yield last


class _Lines:
    """Numbered lines for a CSV parser: it takes them one by one, and a record's lines that do
    not make a record are given back, to be read again from the second. The lines come in
    blocks of whole lines: those of the block being read line by line are :attr:`lines`."""

    def __init__(self, blocks: Iterator[str], first: int, *, lines: bool) -> None:
        self.blocks: Iterator[str] = iter(()) if lines else blocks
        """The blocks not yet begun."""
        self.lines: Iterator[str] = blocks if lines else iter(())
        """The lines not yet taken of the block being read line by line: of all of them, when
        the source is *lines*, one by one (a stream's, which may end a line at \\r)."""
        self.given_back: deque[_Line] = deque()
        """Lines to be read again, before any more of the source."""
        self.number = first - 1
        """The number of the last line taken from the source."""
        self.taken: list[_Line] = []
        """The lines the parser took since the last record."""
        self.capped = False
        """Whether the parser was refused a line: a record longer than _CONTINUATION."""

    def next_line(self) -> str | None:
        """The next line of the source, from the next block when this one's are taken."""
        text = next(self.lines, None)
        while text is None:
            block = next(self.blocks, None)
            if block is None:
                return None
            self.lines = _lines_of(block)
            text = next(self.lines, None)
        return text

    def feed(self) -> Iterator[str]:
        self.capped = False
        while True:
            if len(self.taken) > _CONTINUATION:
                self.capped = True
                return
            if self.given_back:
                line = self.given_back.popleft()
            else:
                text = self.next_line()
                if text is None:
                    return
                self.number += 1
                line = (self.number, text)
            self.taken.append(line)
            yield line[1]

    def record(self) -> list[_Line]:
        """The lines of the record just parsed."""
        taken, self.taken = self.taken, []
        return taken

    def give_back(self, lines: list[_Line]) -> None:
        self.given_back.extendleft(reversed(lines))


def _csv_start(
    lines: Iterable[str], name: str, line_offset: int, reader: RowReader
) -> tuple[list[str], Callable[[list[str]], Sequence[str]] | None, _Lines]:
    """The header of CSV *lines* read (:func:`_csv_header`), and the lines after it, numbered
    from *line_offset* + 2: none, and no column, when there is not a line."""
    blocks = iter(lines)
    first = next(blocks, None)
    if first is None:
        return [], None, _Lines(blocks, line_offset + 2, lines=True)
    head, end, rest = first.partition("\n")  # the rest of a first block
    header, ordered = _csv_header(head + end, name, reader)
    if rest:
        blocks = chain((rest,), blocks)
    return header, ordered, _Lines(blocks, line_offset + 2, lines=not isinstance(lines, TextBlocks))


def _recorder(
    name: str,
    header: list[str],
    ordered: Callable[[list[str]], Sequence[str]] | None,
    finish: Callable[[str, int, Sequence[Any]], Any],
) -> Callable[[list[_Line], list[str]], Any]:
    """What makes a row of a record's lines and fields, as read (a bad row when it is one),
    other than a common line's."""
    width = len(header)

    def record(taken: list[_Line], values: list[str]) -> Any:
        line, text = taken[-1]  # a record over several lines is counted at its last
        undecodable = _undecodable(taken)
        if undecodable:
            return RowError(name, line, line_ticket(text, header), undecodable)
        if len(values) != width:
            message = (
                _UNCLOSED if text.count('"') % 2 else f"{len(values)} fields, expected {width}"
            )
            return RowError(name, line, line_ticket(text, header), message)
        return finish(name, line, values if ordered is None else ordered([*values, ""]))

    return record


def csv_rows(lines: Iterable[str], name: str, line_offset: int, reader: RowReader) -> Iterator[Any]:
    """The rows of CSV *lines*, the header first, each made by *reader*; *line_offset* counts
    the file's lines before the second of these (for a piece of a file, whose header is the
    file's first line). *lines* may be a file's :class:`TextBlocks`, blocks of whole lines."""
    header, ordered, physical = _csv_start(lines, name, line_offset, reader)
    width = len(header)
    finish = reader.row

    record = _recorder(name, header, ordered, finish)

    while True:
        if not physical.given_back:
            # The common line, one record without a quote or a carriage return inside: its
            # fields are what csv.reader would make of it, split at commas, without the parser.
            number = physical.number
            for text in physical.lines:  # the lines of a stream, or the rest of a block's
                number += 1
                body = text.rstrip("\r\n")  # as the parser ends a record at its line's end
                if '"' in body or "\r" in body:  # the parser's, from this line
                    physical.number = number
                    physical.give_back([(number, text)])
                    break
                if not body:
                    continue  # an empty line
                values = body.split(",")
                yield (
                    finish(name, number, values if ordered is None else ordered([*values, ""]))
                    if len(values) == width and text.isascii()
                    else record([(number, text)], values)
                )
            else:
                # Whole blocks of common lines, read as the lines above are: a block without a
                # quote, whose carriage returns (if any) each end a line before its \n, is
                # split into its lines at once (the block's text, less each \r, is the bodies').
                for block in physical.blocks:
                    if '"' in block or (
                        "\r" in block and "\r" in (block := block.replace("\r\n", "\n"))
                    ):
                        physical.number = number
                        physical.lines = _lines_of(block)  # line by line, as above
                        break
                    ascii = block.isascii()
                    for body in block.removesuffix("\n").split("\n"):
                        number += 1
                        if not body:
                            continue  # an empty line
                        values = body.split(",")
                        yield (
                            finish(
                                name, number, values if ordered is None else ordered([*values, ""])
                            )
                            if len(values) == width and (ascii or body.isascii())
                            else record([(number, body)], values)
                        )
                else:
                    return
                continue  # the block's lines, one by one
        if (yield from _recovered(physical, name, header, record)):
            return


def _recovered(
    physical: _Lines,
    name: str,
    header: list[str],
    record: Callable[[list[_Line], list[str]], Any],
) -> Generator[Any, None, bool]:
    """The rows the CSV parser reads from the lines given back, and any lines their records
    span, until no line is given back; whether the lines ended."""
    width = len(header)
    while True:
        parsed = csv.reader(physical.feed())
        try:
            for values in parsed:
                taken = physical.record()
                if len(taken) > 1 and (
                    len(values) != width
                    or physical.capped
                    or sum(text.count('"') for _, text in taken) % 2  # closed by the end
                ):
                    # A quote that does not close on its line: that line is the bad row, and
                    # the lines the parser took after it are read again.
                    yield RowError(name, taken[0][0], line_ticket(taken[0][1], header), _UNCLOSED)
                    physical.give_back(taken[1:])
                    break
                if values:  # not an empty line
                    yield record(taken, values)
                if not physical.given_back:
                    return False  # back to the common lines
            else:
                return True
        except csv.Error as exc:
            taken = physical.record()
            problem = _csv_problem(exc, taken)
            yield RowError(name, taken[0][0], line_ticket(taken[0][1], header), problem)
            physical.give_back(taken[1:])


_UNCLOSED: Final = (
    'unclosed quote ("): a quoted field must end with a quote on the same line; the rows '
    "after this line are read as usual"
)


def _csv_problem(error: csv.Error, taken: list[_Line]) -> str:
    if len(taken) > 1:
        return _UNCLOSED
    if "new-line" in str(error):
        return "a carriage return (\\r) inside a field; end lines with \\n or \\r\\n"
    return f"not a CSV row: {error}"


def _undecodable(lines: Iterable[_Line]) -> str | None:
    """What is wrong with lines holding bytes that are not UTF-8 (kept by surrogateescape)."""
    for _, text in lines:
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError as exc:
                byte = ord(text[exc.start]) - 0xDC00
                return (
                    f"the byte 0x{byte:02x} at column {exc.start + 1} is not UTF-8; save the "
                    "log as UTF-8"
                )
    return None


def jsonl_rows(
    lines: Iterable[str], name: str, line_offset: int, reader: RowReader
) -> Iterator[Any]:
    """The rows of JSON Lines *lines*, each made by *reader*; *line_offset* counts lines of the
    file before these."""
    finish = reader.row
    loads = json.loads
    for line, raw in enumerate(lines, start=line_offset + 1):
        text = raw.removeprefix(_BOM) if line == 1 else raw
        if not text.strip():
            continue
        undecodable = None if text.isascii() else _undecodable([(line, text)])
        if undecodable:
            yield RowError(name, line, None, undecodable)
            continue
        try:
            fields = loads(text)
        except (ValueError, RecursionError) as exc:
            yield RowError(name, line, None, f"not valid JSON: {exc}")
            continue
        if type(fields) is not dict:  # what json makes of an object, exactly
            yield RowError(name, line, None, "each line must be a JSON object")
            continue
        if not fields.keys() <= COLUMN_SET:
            unknown = sorted(key for key in fields if key not in COLUMN_SET)
            ticket = text_or_none(fields.get("ticket"))
            yield RowError(
                name, line, ticket, f"unknown keys {unknown}: use {', '.join(LOG_COLUMNS)}"
            )
            continue
        yield finish(name, line, tuple(map(fields.get, LOG_COLUMNS)))  # None where none


READERS: Final = {"csv": csv_rows, "jsonl": jsonl_rows}
"""The reader of each text format."""


def entries(
    lines: Iterable[str], name: str, fmt: str, line_offset: int = 0
) -> Iterator[Entry | RowError]:
    """Every row of the log *lines* (of file *name*, in format *fmt*) as an :class:`Entry`, or
    a :class:`RowError` when it cannot be used."""
    return READERS[fmt](lines, name, line_offset, RowReader(text_only=fmt == "csv"))
