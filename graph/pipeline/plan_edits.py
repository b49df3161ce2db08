"""Edits a person makes to a plan's structure in the browser, as operations on the plan's YAML text.

Each operation reads the text with ruamel.yaml's round trip (the reader draft_review.py uses), changes
one node and writes the text back, so comments, key order, quoting and flow style stay as the author
wrote them everywhere else in the file. An operation that cannot be done raises `EditRefused` with a
key and values that the web layer words in the reader's language; nothing here is UI text.

A plan file holds its nodes either nested (a focus area's `initiatives` lists the initiatives
themselves) or by reference (the plan lists every initiative under `initiatives`, and a focus area
lists their ids), as data/koebenhavn/integrationshandleplan-2019-22.yaml does; every operation keeps
the style the file already uses.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Iterator

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

from graph.pipeline.draft_review import DraftRefused, dump, parse
from graph.pipeline.draft_review import amount as typed_amount  # one reading of a typed amount

CHILD_KEYS = ("focusAreas", "goals", "successCriteria", "initiatives", "budgetLines")
# What a person may link an initiative (or any node) to, by the authoring format's key.
LINK_KEYS = ("targetGroups", "supports", "responsible")
CONTINUATION_KEYS = ("continues", "replaces")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,300}$")
# New keys go before these, so a node keeps the usual order: facts first, then notes and sources.
_TRAILING_KEYS = ("note", "source")


class EditRefused(Exception):
    """An edit that cannot be made: `key` names the reason (ontology/texts/editing.yaml words it as
    `editing.refused_<key>`), `values` fill its blanks."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(f"{key}: {values}")
        self.key = key
        self.values = values


# ------------------------------------------------------------------------------------ reading
def _roots(document: Any) -> list[CommentedMap]:
    """The file's top-level nodes: the plan itself, or the nodes of a `graph:` list."""
    if isinstance(document, CommentedMap) and isinstance(document.get("graph"), list):
        return [n for n in document["graph"] if isinstance(n, CommentedMap)]
    return [document] if isinstance(document, CommentedMap) else []


def walk(nodes: list[CommentedMap]) -> Iterator[tuple[CommentedMap, CommentedMap | None]]:
    """(node, the node whose list holds it), depth first in the file's order."""
    for node in nodes:
        yield node, None
        for key in CHILD_KEYS:
            for child in node.get(key) or []:
                if isinstance(child, CommentedMap):
                    for found, parent in walk([child]):
                        yield found, parent if parent is not None else node


def _find(document: Any, node_id: str) -> tuple[CommentedMap, CommentedMap | None]:
    for node, parent in walk(_roots(document)):
        if str(node.get("id")) == node_id:
            return node, parent
    raise EditRefused("no_node", node=node_id[:120])


def _plan(document: Any) -> CommentedMap:
    roots = _roots(document)
    plan = next((n for n in roots if str(n.get("id", "")).startswith("doc/")), roots[0] if roots else None)
    if plan is None:
        raise EditRefused("no_plan")
    return plan


def plan_id(text: str) -> str:
    return str(_plan(parse(text)).get("id"))


def _text(value: Any) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items() if v is not None}
    return {} if value is None else {"": str(value)}


def _ids(value: Any) -> list[str]:
    """A reference key's ids, whether the file writes one id or a list."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(i.get("id")) if isinstance(i, dict) else str(i) for i in items]


@dataclass
class OutlineNode:
    """One node of the plan as the edit form shows it: ids and texts as the file holds them."""

    id: str
    kind: str
    label: dict[str, str]
    budget: list[dict[str, Any]] = field(default_factory=list)
    links: dict[str, list[str]] = field(default_factory=dict)
    children: list["OutlineNode"] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "type": self.kind, "label": self.label, "budget": self.budget, "links": self.links,
                "children": [c.as_json() for c in self.children]}


def _outline_node(node: CommentedMap, by_id: dict[str, CommentedMap]) -> OutlineNode:
    children = []
    for key in CHILD_KEYS:
        for child in node.get(key) or []:
            found = child if isinstance(child, CommentedMap) else by_id.get(str(child))
            if found is not None and "id" in found:
                children.append(_outline_node(found, by_id))
    budget = [{"year": int(b["year"]), "amount": b.get("amount"), "unit": int(b.get("unitMultiplier") or 1),
               "currency": str(b.get("currency") or "DKK")}
              for b in node.get("budget") or [] if isinstance(b, dict) and b.get("year") is not None]
    links = {key: _ids(node.get(key)) for key in LINK_KEYS + CONTINUATION_KEYS if node.get(key) is not None}
    return OutlineNode(str(node["id"]), str(node.get("type", "")),
                       _text(node.get("label") or node.get("title")), budget, links, children)


def outline(text: str) -> OutlineNode:
    """The plan's tree, each referenced node shown where it is listed (under its focus area), the
    plan's own list holding only those no part lists."""
    document = parse(text)
    plan = _plan(document)
    by_id = {str(n["id"]): n for n, _ in walk(_roots(document)) if "id" in n}
    listed = {i for n, _ in walk([plan]) if n is not plan for key in CHILD_KEYS
              for i in _ids(n.get(key)) if isinstance(n.get(key), list)}
    top = _outline_node(plan, by_id)
    top.children = [c for c in top.children if c.id not in listed]
    return top


# ------------------------------------------------------------------------------------ helpers
def _flow_list(items: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _flow_map(**items: Any) -> CommentedMap:
    mapping = CommentedMap(items)
    mapping.fa.set_flow_style()
    return mapping


def _set_key(node: CommentedMap, key: str, value: Any) -> None:
    """Set a key in place, or insert a new one before the node's notes and sources."""
    if key in node:
        node[key] = value
        return
    keys = list(node.keys())
    position = next((keys.index(k) for k in _TRAILING_KEYS if k in keys), len(keys))
    node.insert(position, key, value)


def _closing_comments(node: Any) -> tuple[Any, Any] | None:
    """Where the comment lines that follow the node's last line are kept: (the deepest last list, None)
    when ruamel holds them as its `end` comment, (a mapping, its last key) when they follow that key's
    value (as after a node this module appended), else None."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and node:
        if getattr(node.ca, "end", None):
            return node, None
        if isinstance(node, CommentedMap):
            key = list(node.keys())[-1]
            entry = node.ca.items.get(key)
            if entry and len(entry) > 2 and entry[2] is not None and entry[2].value.startswith("\n"):
                return node, key
            node = node[key]
        else:
            node = node[-1]
    return None


def _comment(value: str) -> CommentToken:
    return CommentToken(value, CommentMark(0), None)


def _append_node(items: CommentedSeq, node: CommentedMap) -> None:
    """Append a new node to a block list, taking over the comments that followed the list's last
    node (a section heading such as `# ---- lines outside the bearings` belongs after the list, not
    between its old last node and the new one); a blank line before them stays between the two."""
    found = (items, None) if getattr(items.ca, "end", None) else _closing_comments(items[-1]) if items else None
    items.append(node)
    if found is None:
        return
    holder, key = found
    if holder is items:   # the list's own closing comments: they stay after it, and so after the new node
        value = items.ca.end[0].value
    elif key is None:
        value = "".join(token.value for token in holder.ca.end)
        holder.ca.end = []
    else:
        value = holder.ca.items[key][2].value[1:]   # without the newline that ends the value's line
        holder.ca.items[key][2] = None
    if holder is not items:
        node.ca.items[list(node.keys())[-1]] = [None, None, _comment("\n" + value), None]
    if value.startswith("\n"):   # the blank line before the comments: now between the old and the new node
        items.ca.items[len(items) - 1] = [None, [_comment("\n")], None, None]


def _check_id(value: str) -> str:
    value = value.strip()
    if not _ID.match(value) or ".." in value:
        raise EditRefused("bad_id", id=value[:80])
    return value


def slug(label: str) -> str:
    """An id's last part from a label: `Flere lærepladser` -> `flere-laerepladser`."""
    text = label.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:60] or "indsats"


def amount(typed: str) -> int | float:
    """An amount as a person types it (`3300`, `3.300`, `2,5`, `2.5`), read as the import review reads
    it; refused in the reader's language."""
    try:
        value = typed_amount(typed)
    except DraftRefused:
        raise EditRefused("bad_amount", amount=typed[:40]) from None
    return value if isinstance(value, int) else float(value)


def _year(typed: str | int) -> int:
    try:
        year = int(str(typed).strip())
    except ValueError:
        raise EditRefused("bad_year", year=str(typed)[:10]) from None
    if not 1900 <= year <= 2200:
        raise EditRefused("bad_year", year=str(year))
    return year


def _focus_area(document: Any, area_id: str) -> CommentedMap:
    area, _ = _find(document, area_id)
    if area.get("type") not in ("FocusArea", "Bearing", "Goal"):
        raise EditRefused("not_an_area", node=area_id)
    return area


# --------------------------------------------------------------------------------- operations
def add_initiative(text: str, area_id: str, label_da: str, label_en: str, place: str, quote: str = "") -> tuple[str, str]:
    """A new initiative under a focus area: (the new text, the new id). Its source is the plan's own
    first source document at the place the person names, as every node must say where it comes from."""
    label_da, label_en, place = " ".join(label_da.split()), " ".join(label_en.split()), " ".join(place.split())
    if not label_da:
        raise EditRefused("label_missing")
    if not place:
        raise EditRefused("place_missing")
    document = parse(text)
    plan = _plan(document)
    area = _focus_area(document, area_id)
    known = {str(n.get("id")) for n, _ in walk(_roots(document))}
    base = f"{plan['id']}/{slug(label_da)}"
    new_id = next(c for c in (base if n == 1 else f"{base}-{n}" for n in range(1, 1000)) if c not in known)
    node = CommentedMap(id=new_id, type="Initiative")
    node["label"] = _flow_map(da=label_da, **({"en": label_en} if label_en else {}))
    source = _flow_map(document=_source_document(plan), at=place)
    if quote.strip():
        source["quote"] = " ".join(quote.split())
    node["source"] = source
    listed = area.get("initiatives")
    by_reference = isinstance(listed, list) and listed and not isinstance(listed[0], dict) or \
        (listed is None and isinstance(plan.get("initiatives"), list) and area is not plan)
    if by_reference:
        _append_node(plan.setdefault("initiatives", CommentedSeq()), node)
        if listed is None:
            _set_key(area, "initiatives", _flow_list([new_id]))
        else:
            listed.append(new_id)
    elif isinstance(listed, list):
        _append_node(listed, node)
    else:
        _set_key(area, "initiatives", CommentedSeq([node]))
    return dump(document), new_id


def _source_document(plan: CommentedMap) -> str:
    sources = plan.get("source")
    first = sources[0] if isinstance(sources, list) and sources else sources
    if isinstance(first, dict) and first.get("document"):
        return str(first["document"])
    raise EditRefused("plan_without_source")


def move_initiative(text: str, initiative_id: str, area_id: str) -> str:
    """The initiative listed under another focus area: moved whole when nested, its id moved when the
    areas list ids."""
    document = parse(text)
    plan = _plan(document)
    node, holder = _find(document, initiative_id)
    if node.get("type") != "Initiative":
        raise EditRefused("not_an_initiative", node=initiative_id)
    target = _focus_area(document, area_id)
    if holder is target or initiative_id in _ids(target.get("initiatives")):
        raise EditRefused("already_there")
    if holder is not None and holder is not plan:  # nested: the node itself moves
        for key in CHILD_KEYS:
            items = holder.get(key)
            if isinstance(items, list) and any(item is node for item in items):
                items.pop(next(i for i, item in enumerate(items) if item is node))
                if not items:
                    del holder[key]
        _append(target, node)
        return dump(document)
    for area, _ in walk(_roots(document)):  # listed by id: the id moves
        items = area.get("initiatives")
        if area is not plan and isinstance(items, list) and initiative_id in [str(i) for i in items if not isinstance(i, dict)]:
            items.pop(next(i for i, item in enumerate(items) if str(item) == initiative_id and not isinstance(item, dict)))
            if not items:
                del area["initiatives"]
    _append(target, initiative_id)
    return dump(document)


def _append(area: CommentedMap, item: Any) -> None:
    listed = area.get("initiatives")
    if isinstance(listed, list):
        listed.append(item)
    else:
        _set_key(area, "initiatives", _flow_list([item]) if isinstance(item, str) else CommentedSeq([item]))


def set_budget(text: str, node_id: str, year: str | int, typed: str) -> str:
    """The amount for one year, in the unit the budget's lines already state (an empty amount removes
    the year's line); a new year copies currency and unit from the node's other lines."""
    document = parse(text)
    node, _ = _find(document, node_id)
    year = _year(year)
    lines = node.get("budget")
    line = next((b for b in lines or [] if isinstance(b, dict) and str(b.get("year")) == str(year)), None)
    if not typed.strip():
        if line is None:
            raise EditRefused("no_budget_line", year=year)
        lines.remove(line)
        if not lines:
            del node["budget"]
        return dump(document)
    value = amount(typed)
    if line is not None:
        line["amount"] = value
        return dump(document)
    model = next((b for b in lines or [] if isinstance(b, dict)), None)
    new = _flow_map(year=year, amount=value, currency=str(model.get("currency", "DKK")) if model else "DKK")
    for key in ("unitMultiplier", "perYear"):
        if model is not None and key in model:
            new[key] = model[key]
    if lines is None:
        _set_key(node, "budget", CommentedSeq([new]))
    else:
        years = [int(b["year"]) for b in lines if isinstance(b, dict) and "year" in b]
        lines.insert(sum(1 for y in years if y < year), new)
    return dump(document)


def link(text: str, node_id: str, key: str, target_id: str) -> str:
    """One more target group, goal supported or responsible body."""
    if key not in LINK_KEYS:
        raise EditRefused("bad_relation", relation=key[:40])
    target_id = _check_id(target_id)
    document = parse(text)
    node, _ = _find(document, node_id)
    value = node.get(key)
    if target_id in _ids(value):
        raise EditRefused("already_linked", target=target_id)
    if value is None:
        _set_key(node, key, _flow_list([target_id]))
    elif isinstance(value, list):
        value.append(target_id)
    else:
        node[key] = _flow_list([str(value), target_id])
    return dump(document)


def unlink(text: str, node_id: str, key: str, target_id: str) -> str:
    if key not in LINK_KEYS:
        raise EditRefused("bad_relation", relation=key[:40])
    document = parse(text)
    node, _ = _find(document, node_id)
    value = node.get(key)
    if target_id not in _ids(value):
        raise EditRefused("not_linked", target=target_id[:120])
    if isinstance(value, list) and len(value) > 1:
        value.remove(next(v for v in value if str(v) == target_id))
    else:
        del node[key]
    return dump(document)


def set_continuation(text: str, node_id: str, key: str, target_id: str) -> str:
    """What the node continues (an initiative) or replaces (a plan); an empty target removes it."""
    if key not in CONTINUATION_KEYS:
        raise EditRefused("bad_relation", relation=key[:40])
    document = parse(text)
    node, _ = _find(document, node_id)
    if not target_id.strip():
        if key not in node:
            raise EditRefused("not_linked", target=key)
        del node[key]
    else:
        target_id = _check_id(target_id)
        if target_id == node_id:
            raise EditRefused("self_link")
        _set_key(node, key, target_id)
    return dump(document)
