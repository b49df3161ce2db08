"""A deterministic national-scale PolicyGraph of the example graph's shape, written as N-Quads.

The example graph in `data/` is loaded once through our own YAML loader (so every term is exactly
what `policygraph load` produces) and its Copenhagen and Silkeborg files are cloned for each of N
synthetic municipalities (`org/syn001` ... `org/syn098`), with variations:

* initiatives and budget lines (reserved funds) are cloned `--scale` times inside their plan,
  keeping their focus area / plan links, budgets (amounts varied in +d/-d pairs so that the sum of a
  clone set is exactly `scale` x the original), target-group sizes, provenance passages;
  about half of the clones get other target groups (shared `tg/...` groups or the municipality's
  own narrower groups) and other themes, so overlap questions have real work;
* amounts: a municipality factor (1-3x); every 4th municipality states its yearly allocations in
  DKK (`unitMultiplier 1`) instead of 1,000 DKK; stated totals scale with the same factors, so they
  add up, except a planted inconsistency in every 10th municipality (municipality index % 10 == 3);
* years shift by -4, 0 or +4 per municipality (validity, fiscal years, process dates);
* every 3rd municipality (index % 3 == 2) drops its `dct:replaces` / `pg:continues` links, so its
  older plans expire without a successor; two extra `pg:coordinatesWith` links per municipality,
  one of them to the neighbouring municipality's plan;
* three local target groups `tg/<m>/lokal-N` per municipality, narrower than shared groups.

Shared vocabularies, the source documents and the real organisations are written once (graphs
`graph/synthetic/shared/...`; the catalogue of other municipalities' policies is left out); each
cloned file is the graph `https://w3id.org/policygraph/id/graph/synthetic/<municipality>/<file>`.
Everything depends only on (seed, municipality index, scale): the file for 5 municipalities is a
prefix of the file for 98.

    python bench/generate.py --municipalities 98 --scale 32 -o var/bench/synthetic.nq
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from loaders import load_paths  # noqa: E402
from ontology import DCT, PG, RDF, SCHEMA, SKOS, XSD, base_iri  # noqa: E402

DATA = ROOT / "data"
DEFAULT_MUNICIPALITIES = 98
DEFAULT_SCALE = 32
DEFAULT_SEED = 20240601

RDF_TYPE = RDF + "type"
LANG_STRING = RDF + "langString"

TEMPLATE_PREFIXES = ("koebenhavn/", "silkeborg/", "organisations/")
TEMPLATE_FILES: tuple[str, ...] = ()
SKIPPED_PREFIXES = ("catalogue/",)   # other municipalities' policies: not the template's shape


def municipality_slug(index: int) -> str:
    return f"syn{index + 1:03d}"


def municipality_name(index: int) -> str:
    return f"Syntetisk Kommune {index + 1:03d}"


class Template:
    """The example graph read once: template graphs (cloned per municipality) and shared graphs."""

    def __init__(self) -> None:
        self.base = base_iri()
        files = load_paths([DATA])
        graph_prefix = f"{self.base}graph/"
        self.template: dict[str, list[ox.Quad]] = {}
        self.shared: dict[str, list[ox.Quad]] = {}
        for loaded in files:
            rel = loaded.graph[len(graph_prefix):]
            if rel.startswith(SKIPPED_PREFIXES):
                continue
            if rel.startswith(TEMPLATE_PREFIXES) or rel in TEMPLATE_FILES:
                self.template[rel] = loaded.quads
            if rel.startswith("organisations/"):
                # the real Copenhagen and Silkeborg stay too: the shared source list names them as publishers
                self.shared[rel] = loaded.quads
            elif not rel.startswith("organisations/"):
                self.shared[rel] = loaded.quads
        # The loader's blank-node labels are random and its order may follow them: give every blank
        # node a label from its content and place, then sort, so the output is byte-for-byte stable.
        self.bnode_index: dict[str, int] = {}
        for group in (self.template, self.shared):
            for rel, quads in group.items():
                group[rel] = self._canonical(quads)
        everything = [q for quads in self.shared.values() for q in quads]
        typed = {(q.subject.value, q.object.value) for q in everything
                 if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode)}
        self.target_groups = sorted(s for s, t in typed if t == PG + "TargetGroup")
        self.themes = sorted(s for s, t in typed if t == PG + "Theme")
        # What is cloned `scale` times: initiatives and budget lines of the template documents.
        self.cloneable: dict[str, set[str]] = {}
        for rel, quads in self.template.items():
            nodes = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
                     and q.object.value in (PG + "Initiative", PG + "ReservedFund")
                     and isinstance(q.subject, ox.NamedNode)}
            nodes |= {q.object.value for q in quads if q.predicate.value == PG + "hasBudgetLine"
                      and isinstance(q.object, ox.NamedNode)}
            self.cloneable[rel] = nodes
        self.documents = sorted({q.subject.value for quads in self.template.values() for q in quads
                                 if q.predicate.value == RDF_TYPE and q.object.value in
                                 (PG + "ActionPlan", PG + "Policy", PG + "Strategy")})


def _signatures(quads: list[ox.Quad]) -> dict[str, str]:
    """A content hash per blank node: its outgoing statements (recursively) and where it hangs."""
    out: dict[str, list[ox.Quad]] = {}
    parent: dict[str, str] = {}
    for q in quads:
        if isinstance(q.subject, ox.BlankNode):
            out.setdefault(q.subject.value, []).append(q)
        if isinstance(q.object, ox.BlankNode):
            parent[q.object.value] = (q.subject, str(q.predicate))
    memo: dict[str, str] = {}

    def content(node: str, depth: int = 0) -> str:
        if node not in memo:
            parts = sorted(f"{q.predicate} " + (content(q.object.value, depth + 1) if isinstance(q.object, ox.BlankNode)
                                                  and depth < 8 else str(q.object)) for q in out.get(node, ()))
            memo[node] = "[" + " ; ".join(parts) + "]"
        return memo[node]

    def place(node: str, depth: int = 0) -> str:
        if node not in parent or depth > 8:
            return ""
        subject, predicate = parent[node]
        up = (place(subject.value, depth + 1) + content(subject.value)) if isinstance(subject, ox.BlankNode) \
            else str(subject)
        return f"{up} {predicate} "

    return {node: place(node) + content(node) for node in set(out) | set(parent)}


def _nt_literal(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _canonical_method(self, quads: list[ox.Quad]) -> list[ox.Quad]:
    signatures = _signatures(quads)
    for node in sorted(signatures, key=lambda n: (signatures[n], n)):
        if node not in self.bnode_index:
            self.bnode_index[node] = len(self.bnode_index)

    def key(q: ox.Quad) -> tuple:
        return tuple(f"_:{self.bnode_index[t.value]}" if isinstance(t, ox.BlankNode) else str(t)
                     for t in (q.subject, q.predicate, q.object))

    return sorted(quads, key=key)


Template._canonical = _canonical_method


class MunicipalityWriter:
    """Renders one synthetic municipality's quads as N-Quads lines."""

    def __init__(self, template: Template, index: int, scale: int, seed: int) -> None:
        self.t = template
        self.index = index
        self.slug = municipality_slug(index)
        self.name = municipality_name(index)
        self.scale = scale
        self.rng = random.Random(f"{seed}:{index}")
        b = re.escape(template.base)
        self._own = re.compile(rf"^{b}(doc|org|workshop|initiative|decision|org/partner)/(koebenhavn|silkeborg)(?=/|$)")
        self._partner = re.compile(rf"^{b}org/partner/")
        self._graph = re.compile(rf"^{b}graph/(.+)$")
        self.factor = Decimal(1 + index % 3)
        self.in_dkk = index % 4 == 1
        self.year_shift = (-4, 0, 4)[(index // 3) % 3]
        self.no_successors = index % 3 == 2
        self.plant_inconsistency = index % 10 == 3
        self._iri_cache: dict[str, str] = {}
        self._lit_cache: dict[tuple, str] = {}
        self.local_groups = [f"{template.base}tg/{self.slug}/lokal-{n}" for n in range(1, 4)]

    # ---------------------------------------------------------------- terms
    def iri(self, value: str) -> str:
        cached = self._iri_cache.get(value)
        if cached is None:
            new = self._own.sub(lambda m: f"{self.t.base}{m.group(1)}/{self.slug}", value)
            new = self._partner.sub(f"{self.t.base}org/partner/{self.slug}/", new)
            new = self._graph.sub(lambda m: f"{self.t.base}graph/synthetic/{self.slug}/"
                                  + m.group(1).replace("/", "-"), new)
            cached = self._iri_cache[value] = f"<{new}>"
        return cached

    def literal(self, lit: ox.Literal) -> str:
        key = (lit.value, lit.language, lit.datatype.value)
        cached = self._lit_cache.get(key)
        if cached is None:
            value, dt = lit.value, lit.datatype.value
            if dt == XSD + "gYear" and self.year_shift:
                value = str(int(value) + self.year_shift)
            elif dt == XSD + "date" and self.year_shift:
                year, rest = value.split("-", 1)
                value = f"{int(year) + self.year_shift}-{rest.replace('02-29', '02-28')}"
            elif dt in (XSD + "string", LANG_STRING):
                for old in ("Københavns Kommune", "Silkeborg Kommune", "City of Copenhagen", "Silkeborg Municipality",
                            "København", "Copenhagen", "Silkeborg"):
                    value = value.replace(old, self.name)
            text = _nt_literal(value)
            if lit.language:
                text += "@" + lit.language
            elif dt != XSD + "string":
                text += f"^^<{dt}>"
            cached = self._lit_cache[key] = text
        return cached

    def term(self, term, clone: int = 0) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            n = self.t.bnode_index[term.value]
            return f"_:m{self.index}b{n}" + (f"c{clone}" if clone else "")
        return self.literal(term)

    # ---------------------------------------------------------------- the municipality
    def lines(self) -> list[str]:
        out: list[str] = []
        rng = self.rng
        for rel in sorted(self.t.template):
            out += self._file(rel, self.t.template[rel])
        # Local narrower target groups, in the municipality's own vocabulary file.
        graph = f"<{self.t.base}graph/synthetic/{self.slug}/vocabulary.yaml>"
        out.append(f"{graph} <{RDF_TYPE}> <{PG}SourceFile> {graph} .")
        out.append(f"{graph} <{PG}fileName> {_nt_literal(f'synthetic/{self.slug}/vocabulary.yaml')} {graph} .")
        for n, group in enumerate(self.local_groups, 1):
            broader = rng.choice(self.t.target_groups)
            out += [f"<{group}> <{RDF_TYPE}> <{SKOS}Concept> {graph} .",
                    f"<{group}> <{RDF_TYPE}> <{PG}TargetGroup> {graph} .",
                    f"<{group}> <{SKOS}inScheme> <{self.t.base}tg> {graph} .",
                    f"<{group}> <{SKOS}broader> <{broader}> {graph} .",
                    f"<{group}> <{SKOS}prefLabel> {_nt_literal(f'Lokal målgruppe {n} ({self.name})')}@da {graph} ."]
        # Extra coordination links: inside the municipality and to the neighbour's plan.
        docs = self.t.documents
        a, b = rng.sample(docs, 2)
        coord = f"<{PG}coordinatesWith>"
        out.append(f"{self.iri(a)} {coord} {self.iri(b)} {graph} .")
        if self.index > 0:
            neighbour = MunicipalityWriter(self.t, self.index - 1, self.scale, 0)
            d = rng.choice(docs)
            out.append(f"{self.iri(d)} {coord} {neighbour.iri(d)} {graph} .")
        return out

    def _file(self, rel: str, quads: list[ox.Quad]) -> list[str]:
        rng = self.rng
        graph = self.iri(f"{self.t.base}graph/{rel}")
        cloneable = self.t.cloneable[rel]
        if self.no_successors:
            quads = [q for q in quads if q.predicate.value not in (DCT + "replaces", PG + "continues")]
        # Blank-node subtrees hanging from each cloneable node (allocations, sizes, provenance).
        by_subject: dict[str, list[ox.Quad]] = {}
        for q in quads:
            by_subject.setdefault(q.subject.value, []).append(q)
        owned: dict[str, list[ox.Quad]] = {}
        in_subtree: set[int] = set()
        for node in cloneable:
            stack, collected = [node], []
            while stack:
                for q in by_subject.get(stack.pop(), ()):
                    collected.append(q)
                    in_subtree.add(id(q))
                    if isinstance(q.object, ox.BlankNode):
                        stack.append(q.object.value)
            owned[node] = collected
        incoming = [q for q in quads if isinstance(q.object, ox.NamedNode) and q.object.value in cloneable
                    and isinstance(q.subject, ox.NamedNode) and q.subject.value != q.object.value]
        # Stated totals scale with the clones and the municipality factor.
        total_nodes = {q.object.value for q in quads if q.predicate.value == PG + "hasStatedTotal"}
        allocation_nodes = {q.object.value for q in quads if q.predicate.value == PG + "hasBudgetAllocation"}
        multipliers = {q.subject.value: Decimal(q.object.value) for q in quads
                       if q.predicate.value == PG + "unitMultiplier"}
        planted = None
        if self.plant_inconsistency and total_nodes:
            planted = rng.choice(sorted(total_nodes, key=self.t.bnode_index.get))

        out: list[str] = []
        for q in quads:
            if id(q) in in_subtree:
                continue
            s, p, o = q.subject, q.predicate.value, q.object
            if p == SCHEMA + "value" and s.value in total_nodes:
                v = Decimal(o.value) * self.factor * self.scale + (rng.randint(1, 9) if s.value == planted else 0)
                out.append(f"{self.term(s)} <{p}> {_decimal(v)} {graph} .")
                continue
            if p == PG + "fileName" and s.value.endswith(rel):
                out.append(f"{graph} <{p}> {_nt_literal(f'synthetic/{self.slug}/' + rel.replace('/', '-'))} {graph} .")
                continue
            out.append(f"{self.term(s)} <{p}> {self.term(o)} {graph} .")
        for node in sorted(cloneable):
            out += self._clones(node, owned[node], [q for q in incoming if q.object.value == node],
                                allocation_nodes, multipliers, graph)
        return out

    def _clones(self, node: str, subtree: list[ox.Quad], incoming: list[ox.Quad],
                allocation_nodes: set[str], multipliers: dict[str, Decimal], graph: str) -> list[str]:
        rng, k = self.rng, self.scale
        # Amounts: +d/-d in pairs of clones, so the clone set sums to exactly k x the original.
        deltas: dict[str, list[Decimal]] = {}
        for q in subtree:
            if q.predicate.value == SCHEMA + "value" and q.subject.value in allocation_nodes:
                v = Decimal(q.object.value) * self.factor
                ds = [Decimal(0)] * k
                for j in range(0, k - 1, 2):
                    d = Decimal(rng.randint(0, int(v // 2))) if v >= 2 else Decimal(0)
                    ds[j], ds[j + 1] = d, -d
                deltas[q.subject.value] = ds
        out: list[str] = []
        for c in range(k):
            name = self.iri(node) if c == 0 else self.iri(node)[:-1] + f"-{c + 1:02d}>"
            groups: dict[str, str] = {}
            new_theme = rng.choice(self.t.themes) if c and rng.random() < 0.5 else None
            regroup = c > 0 and rng.random() < 0.6
            size_factor = Decimal(rng.choice((1, 1, 2, 3))) if c else Decimal(1)
            for q in subtree:
                p, o = q.predicate.value, q.object
                s_text = name if q.subject.value == node else self.term(q.subject, c)
                if p == SCHEMA + "value" and q.subject.value in deltas:
                    v = Decimal(o.value) * self.factor + deltas[q.subject.value][c]
                    if self.in_dkk and multipliers.get(q.subject.value) == 1000:
                        v *= 1000
                    o_text = _decimal(v)
                elif p == PG + "unitMultiplier" and self.in_dkk and q.subject.value in deltas \
                        and multipliers.get(q.subject.value) == 1000:
                    o_text = f'"1"^^<{XSD}integer>'
                elif p == PG + "annualSize" and c:
                    o_text = f'"{int(Decimal(o.value) * size_factor)}"^^<{XSD}integer>'
                elif p in (DCT + "audience", PG + "targetGroup") and regroup:
                    if o.value not in groups:
                        pool = self.t.target_groups + self.local_groups
                        groups[o.value] = rng.choice(pool)
                    o_text = f"<{groups[o.value]}>"
                elif p == DCT + "subject" and new_theme and q.subject.value == node:
                    o_text = f"<{new_theme}>"
                elif p == SKOS + "prefLabel" and q.subject.value == node and c:
                    o_text = _nt_literal(f"{o.value} ({c + 1})") + (f"@{o.language}" if o.language else "")
                else:
                    o_text = self.term(o, c)
                out.append(f"{s_text} <{p}> {o_text} {graph} .")
            if c:
                for q in incoming:
                    out.append(f"{self.term(q.subject)} <{q.predicate.value}> {name} {graph} .")
        return out


def _decimal(v: Decimal) -> str:
    text = format(v.normalize(), "f") if v != v.to_integral() else str(int(v))
    return f'"{text}"^^<{XSD}decimal>'


def shared_lines(template: Template) -> list[str]:
    """Shared vocabularies and the catalogue, once, with their IRIs unchanged."""
    def render(term) -> str:
        if isinstance(term, ox.NamedNode):
            return f"<{term.value}>"
        if isinstance(term, ox.BlankNode):
            return f"_:s{template.bnode_index[term.value]}"
        text = _nt_literal(term.value)
        if term.language:
            return f"{text}@{term.language}"
        return text if term.datatype.value == XSD + "string" else f"{text}^^<{term.datatype.value}>"

    out = []
    for rel in sorted(template.shared):
        name = f"synthetic/shared/{rel.replace('/', '-')}"
        graph = f"<{template.base}graph/{name}>"
        for q in template.shared[rel]:
            own = q.subject.value == f"{template.base}graph/{rel}"
            s = graph if own else render(q.subject)
            o = _nt_literal(name) if own and q.predicate.value == PG + "fileName" else render(q.object)
            out.append(f"{s} <{q.predicate.value}> {o} {graph} .")
    return out


def generate(out: Path, municipalities: int = DEFAULT_MUNICIPALITIES, scale: int = DEFAULT_SCALE,
             seed: int = DEFAULT_SEED, template: Template | None = None) -> dict:
    """Write the synthetic graph; returns {'quads': n, 'sha256': digest, 'seconds': t}."""
    start = time.perf_counter()
    template = template or Template()
    out.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    count = 0
    tmp = out.with_suffix(out.suffix + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        chunks = [shared_lines(template)]
        for index in range(municipalities):
            chunks.append(MunicipalityWriter(template, index, scale, seed).lines())
            for lines in chunks:
                text = "\n".join(lines) + "\n"
                fh.write(text)
                digest.update(text.encode())
                count += len(lines)
            chunks = []
    tmp.replace(out)
    return {"quads": count, "sha256": digest.hexdigest(), "seconds": time.perf_counter() - start}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=DEFAULT_MUNICIPALITIES)
    parser.add_argument("--scale", type=int, default=DEFAULT_SCALE, help="clones of each initiative per plan")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("-o", "--output", type=Path, default=ROOT / "var" / "bench" / "synthetic.nq")
    args = parser.parse_args(argv)
    info = generate(args.output, args.municipalities, args.scale, args.seed)
    print(f"wrote {info['quads']:,} quads to {args.output} in {info['seconds']:.1f} s (sha256 {info['sha256'][:16]})")


if __name__ == "__main__":
    main()
