"""A small reader of the report's HTML for the tests, on the standard library's html.parser."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """The parts of a page the tests look at: tables (with each cell's attributes and
    text), every attribute value of every tag, and the tags seen."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.attributes: list[tuple[str, str, str]] = []
        self.tags: list[str] = []
        self.text: list[str] = []
        self._table = None
        self._row = None
        self._cell = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attributes.extend((tag, k, v or "") for k, v in attrs.items())
        if tag == "table":
            self._table = {"attrs": attrs, "rows": []}
            self.tables[attrs.get("id", f"table-{len(self.tables)}")] = self._table
        elif tag == "tr" and self._table is not None:
            self._row = {"attrs": attrs, "cells": []}
            self._table["rows"].append(self._row)
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"tag": tag, "attrs": attrs, "text": ""}
            self._row["cells"].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "table":
            self._table = None
        elif tag == "tr":
            self._row = None
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell["text"] += data

    def body_rows(self, table_id: str) -> list[list[dict]]:
        """Rows of a table without its header row."""
        return [r["cells"] for r in self.tables[table_id]["rows"][1:]]

    def header(self, table_id: str) -> list[str]:
        return [c["text"].strip() for c in self.tables[table_id]["rows"][0]["cells"]]
