"""Read rendered pages the way assistive technology does: by ids, labels and ARIA attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "area", "base", "col", "wbr"})


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    chunks: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def is_inside(self, other: Element) -> bool:
        node = self.parent
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


class ParsedPage(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    # parsing -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._open[-1] if self._open else None
        element = Element(tag, {name: value or "" for name, value in attrs}, parent)
        self.elements.append(element)
        if tag not in VOID_TAGS:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.chunks.append(data)

    # queries -------------------------------------------------------------------------
    def by_id(self, element_id: str) -> Element:
        matches = [e for e in self.elements if e.attrs.get("id") == element_id]
        assert len(matches) == 1, f"expected one element with id={element_id!r}, found {len(matches)}"
        return matches[0]

    def field(self, name: str) -> Element:
        matches = [e for e in self.visible_fields() if e.attrs.get("name") == name]
        assert len(matches) == 1, f"expected one field named {name!r}, found {len(matches)}"
        return matches[0]

    def items_of(self, container: Element) -> list[str]:
        return [e.text for e in self.elements if e.tag == "li" and e.is_inside(container)]

    def errors_of(self, name: str) -> list[str]:
        """The error messages a screen reader announces for a field (through aria-describedby)."""
        widget = self.field(name)
        if widget.attrs.get("aria-invalid") != "true":
            return []
        messages = []
        for described_by in widget.attrs.get("aria-describedby", "").split():
            element = self.by_id(described_by)
            if "errorlist" in element.attrs.get("class", "").split():
                messages.extend(self.items_of(element))
        return messages

    def label_for(self, widget: Element) -> str:
        labels = [
            e.text for e in self.elements if e.tag == "label" and e.attrs.get("for") == widget.attrs.get("id")
        ]
        return labels[0] if labels else ""

    def alerts(self) -> list[str]:
        return [e.text for e in self.elements if e.attrs.get("role") == "alert"]

    def statuses(self) -> list[str]:
        """Flash messages, each with its kind in words ("Done:", "Error:")."""
        return [e.text for e in self.elements if "message" in e.attrs.get("class", "").split()]

    def visible_fields(self) -> list[Element]:
        not_fields = {"hidden", "submit", "button"}
        return [
            e
            for e in self.elements
            if e.tag in {"input", "textarea", "select"} and e.attrs.get("type", "text") not in not_fields
        ]
