"""Read a rendered form back as the browser would submit it, for the tests that save a form,
reopen it and save again (issue 7 §4: nothing a user saved may be lost)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._option: str | None = None
        self._option_selected = False
        self._option_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            # A form without an action posts to the page itself.
            self.inside = a.get("action", "") in {self.action, ""} and (
                a.get("method", "").lower() == "post"
            )
        if not self.inside:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in {"submit", "button", "file"}:
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select:
            self._option = a.get("value")
            self._option_selected = "selected" in a
            self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea][-1] += data
        if self._select:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea:
            # The template puts a line break after <textarea>; browsers drop it.
            text = self.values[self._textarea][-1]
            self.values[self._textarea][-1] = text.removeprefix("\n").removeprefix("\r\n")
            self._textarea = None
        elif tag == "option" and self._select:
            if self._option_selected:
                value = self._option if self._option is not None else self._option_text
                self.values[self._select].append(value)
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self.inside = False


def form_values(page: str, action: str) -> dict[str, list[str]]:
    """The fields of the form posting to ``action``: {name: [values]}, for a test client's
    ``post`` (which takes lists for repeated names)."""
    reader = _FormReader(action)
    reader.feed(page)
    return reader.values


def save_reopen_save(client: Any, url: str, *, text_fields: list[str]) -> dict[str, list[str]]:
    """Open the edit page at ``url``, submit it unchanged, reopen it, submit it again: the
    fields in ``text_fields`` must come back the same each time. Returns the last values."""
    first = form_values(client.get(url).content.decode(), url)
    missing = [name for name in text_fields if name not in first]
    assert not missing, (missing, sorted(first))
    answer = client.post(url, first)
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    reopened = form_values(client.get(url).content.decode(), url)
    assert client.post(url, reopened).status_code == 302
    again = form_values(client.get(url).content.decode(), url)
    for name in text_fields:
        assert reopened[name] == first[name] == again[name], name
    return again
