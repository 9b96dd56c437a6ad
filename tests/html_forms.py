"""The forms of a page as a browser sees them: action, method, the fields it would send, its
file fields and submit buttons. Tests fill and send them like a person would."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin


class _Forms(HTMLParser):
    def __init__(self, base: str):
        super().__init__()
        self.base = base
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {
                "action": urljoin(self.base, a.get("action") or self.base),
                "method": (a.get("method") or "get").upper(),
                "testid": a.get("data-testid", ""),
                "fields": {},
                "textareas": [],
                "files": [],
                "buttons": [],
            }
            self.forms.append(self._form)
            return
        form = self._form
        if form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                form["files"].append(name)
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form["fields"][name] = a.get("value", "on")
            elif kind == "submit":
                form["buttons"].append((name, a.get("value", "")))
            else:
                form["fields"][name] = a.get("value") or ""
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            form["buttons"].append((name, a.get("value", "")))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            if "selected" in a or self._select not in form["fields"]:
                form["fields"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            form["textareas"].append(name)
            form["fields"][name] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def page_forms(html: str, url: str) -> list[dict]:
    parser = _Forms(url)
    parser.feed(html)
    return parser.forms
