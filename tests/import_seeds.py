"""Word, PDF and Excel files built from the seed texts, and the measure of an import against the hand model.

The seed texts are extractions that lost their layout. Each builder puts the layout back from the
document's own words: a list of (style, marker) where every marker is a verbatim piece of the seed
text, found in order, and each piece runs from its marker to the next. The files hold exactly the seed's
text; only the headings, lists, bold titles and table cells the original document had are added.
The hand model in data/ is never read by a builder, only by `measure`.

`python tests/import_seeds.py` prints the figures written in docs/importing.md.
"""
from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rapidfuzz import fuzz

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
ANNEX = SOURCES / "004_9bc7ee40ca6f453d.txt"
SILKEBORG = SOURCES / "002_bf8d23e7f3bcc2f4.txt"
ANNEX_MODEL = ROOT / "data" / "koebenhavn" / "integrationshandleplan-2019-22.yaml"
SILKEBORG_MODEL = ROOT / "data" / "silkeborg" / "integrationsstrategi-2016-18.yaml"

# ------------------------------------------------------------------------------------- the annex (004)
# The bold title at the start of each initiative cell, as the seed prints it (title and text run together).
ANNEX_TITLES = [
    "*¹Håndholdt og kontinuerlig virksomhedsindsats",
    "*Håndholdt og kontinuerlig virksomhedsindsats med indledende helbredsmæssig gennemgang "
    "med særligt fokus på ledige kvinder",
    "*Barselsgruppe med fokus på job og uddannelse",
    "*Virksomhedsindsats til bekæmpelse af ubevidst diskrimination",
    "*Flere lærepladser",
    "*Fritidsjob",
    "*Helhedsorienteret forebyggelse af social kontrol",
]


def annex_parts() -> tuple[list[str], list[list[list[str]]], list[str]]:
    """The annex as (paragraphs before the table, the table's parts [rows of cells], the notes between
    the parts): the seed's tab-separated lines are its table; <u> marks are underlining, not text."""
    lines = ANNEX.read_text(encoding="utf-8").splitlines()
    before = [line.strip() for line in lines if line.strip() and "\t" not in line][:2]
    parts: list[list[list[str]]] = [[]]
    notes: list[str] = []
    for line in lines[lines.index(next(x for x in lines if "\t" in x)):]:
        if "\t" in line:
            parts[-1].append([re.sub(r"</?u>", "", cell).strip() for cell in line.split("\t")])
        elif line.strip():
            notes.append(line.strip())
            parts.append([])
    return before, [p for p in parts if p], notes


def split_title(cell: str) -> tuple[str, str]:
    for title in ANNEX_TITLES:
        if cell.startswith(title):
            return title, cell[len(title):].strip()
    return "", cell


def annex_docx(target: Path) -> Path:
    """The annex as a Word document: title, caption, the table with bold initiative titles and the
    pejlemærke rows merged across the table, the footnote between its two parts."""
    import docx
    document = docx.Document()
    before, parts, notes = annex_parts()
    document.add_heading(before[0], level=1)
    document.add_paragraph(before[1])
    for index, rows in enumerate(parts):
        table = document.add_table(rows=0, cols=len(rows[0]))
        for cells in rows:
            row = table.add_row()
            if sum(1 for c in cells if c) == 1 and cells[1].startswith("Pejlemærke"):
                merged = row.cells[1].merge(row.cells[-1])
                merged.text = cells[1]
                continue
            for cell, text in zip(row.cells, cells):
                title, rest = split_title(text)
                if title:
                    cell.paragraphs[0].add_run(title).bold = True
                    cell.add_paragraph(rest)
                else:
                    cell.text = text
        if index < len(notes):
            document.add_paragraph(notes[index])
    document.save(target)
    return target


def annex_pdf(target: Path) -> Path:
    """The annex as a PDF printed by WeasyPrint from simple HTML of the same table (ruled cells)."""
    before, parts, notes = annex_parts()
    body = [f"<h1>{html.escape(before[0])}</h1>", f"<p>{html.escape(before[1])}</p>"]
    for index, rows in enumerate(parts):
        body.append("<table>")
        for cells in rows:
            if sum(1 for c in cells if c) == 1 and cells[1].startswith("Pejlemærke"):
                body.append(f"<tr><td></td><td colspan='{len(cells) - 1}'>{html.escape(cells[1])}</td></tr>")
                continue
            tds = []
            for text in cells:
                title, rest = split_title(text)
                tds.append(f"<td><b>{html.escape(title)}</b> {html.escape(rest)}</td>" if title else
                           f"<td>{html.escape(text)}</td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        body.append("</table>")
        if index < len(notes):
            body.append(f"<p>{html.escape(notes[index])}</p>")
    _pdf(body, target)
    return target


def annex_xlsx(target: Path, merged: bool = False, text_amount: str | None = None,
               wrong_total: bool = False) -> Path:
    """The annex table as a spreadsheet, one column per role (title and text of an initiative apart, as a
    sheet keeps them); the variants make the bad inputs: merged cells, text in an amount, a wrong total."""
    import openpyxl
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tabel 1"
    _before, parts, _notes = annex_parts()
    sheet.append(["Fokusområde", "Indsats", "Beskrivelse", "Målgruppe årligt", 2019, 2020, 2021, 2022])
    for rows in parts:
        for cells in rows[1:] if rows is parts[0] else rows:
            title, rest = split_title(cells[1])
            figures = [_figure(c) for c in cells[3:7]]
            sheet.append([cells[0] or None, title or cells[1] or None, (rest if title else None) or None,
                          cells[2] or None] + figures)
    if merged:
        sheet.merge_cells("A2:A3")
    if text_amount is not None:
        sheet["F3"] = text_amount
    if wrong_total:
        total_row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "I alt")
        total_row[4].value = total_row[4].value + 100
    workbook.save(target)
    return target


ANNEX_MAPPING = """\
# The 2019-22 annex as a spreadsheet (tests/import_seeds.py: annex_xlsx)
title: Integrationshandleplan 2019-22
sheet: Tabel 1
headerRow: 1
columns: {focusArea: A, initiative: B, description: C, targetGroup: D}
years: {2019: E, 2020: F, 2021: G, 2022: H}
unit: 1.000 kr.
"""


def _figure(text: str) -> int | None:
    text = text.strip()
    return int(text.replace(".", "")) if text else None


# ------------------------------------------------------------------------------ the Silkeborg strategy (002)
# (style, marker): each marker a verbatim piece of seed 002's strategy pages, in order.
SILKEBORG_LAYOUT = [
    ("title", "Integrationsstrategi De 5 kerneområder"),
    ("h1", "Integrationsstrategien"), ("h2", "Grundlaget dannes i integrationsperioden"),
    ("p", "Danmark har i 2015"), ("p", "Mission"), ("p", "Vision"),
    ("h2", "Målsætninger"), ("p", "I 2018 skal :"),
    ("item", "have øget antallet"), ("item", "være en attraktiv partner"), ("item", "understøtte aktivt medborgerskab"),
    ("h2", "Succeskriterier:"), ("p", "Ved udgangen af 2018:"),
    ("item", "skal være bedre end"), ("item", "skal antallet af nytilkomne"), ("item", "skal der være en mærkbar"),
    ("item", "skal flere nytilkomne"), ("item", "skal trivslen"),
    ("h1", "De 5 kerneområder - Vejen"), ("p", "I indsatsen, for at sikre"),
    ("h1", "1. Kerneområde - Modtagelse"), ("p", "En god start på"), ("p", "Modtagelsen af flygtninge og"),
    ("h2", "1.1 Tidlig og styrket"), ("p", "Manglende aktivitet"),
    ("h2", "1.2 Øget fokus på ressourcestærke"), ("p", "Den frivillige sektor spiller en afgørende"),
    ("h1", "2. Kerneområde Beskæftigelse"), ("p", "En aktiv og selvforsørgende"), ("p", "Arbejdspladsen og"),
    ("h2", "2.1 Styrket kontakt"), ("p", "Et styrket samarbejde mellem"),
    ("h2", "2.2 Øget fokus på uddannelse"), ("p", "Danskkundskaber, uddannelse"),
    ("h2", "2.3 Fokus på opfølgning"), ("p", "Når flygtninge har fået"),
    ("h1", "3. Kerneområde - Medborgerskab"), ("p", "Et liv med indhold"), ("p", "Vellykket integration handler"),
    ("h2", "3.1 Øget fokus frivillighed"), ("p", "Med den frivillige sektors"),
    ("h2", "3.2 Dialog om og indføring"), ("p", "Det kræver en grundlæggende"),
    ("h1", "4. Kerneområde - Sundhed"), ("p", "En aktiv og sund medborger"), ("p", "Effektiv forebyggelse"),
    ("h2", "4.1 Styrket helbredsmestring"), ("p", "En styrket indsats i forhold"),
    ("h2", "4.2 Øget opmærksomhed"), ("p", "Gruppen af traumatiserede"),
    ("h1", "5. Kerneområde Flygtningefamilier"), ("p", "Et sundt og aktivt familieliv"), ("p", "Det er kendt viden"),
    ("h2", "5.1 Styrket koordineret"), ("p", "Målet om selvforsørgelse og aktivt medborgerskab kræver en tidlig og "
                                            "koordineret indsats for at målrette"),
]


def silkeborg_text() -> str:
    """The strategy's eight pages from seed 002 as one text: page numbers and page footers removed."""
    lines = SILKEBORG.read_text(encoding="utf-8").splitlines()
    pages = [re.sub(r"^\d \s*", "", line) for line in lines[9:24] if re.match(r"^\d ", line)]
    return " ".join(re.sub(r"\s*Beskæftigelsesafdelingen Side \d af 7\s*$", "", page).strip() for page in pages)


def silkeborg_pieces() -> list[tuple[str, str]]:
    """(style, text) pieces of the strategy; fails if a marker is not found in order."""
    text = silkeborg_text()
    starts, position = [], 0
    for style, marker in SILKEBORG_LAYOUT:
        found = text.find(marker, position)
        assert found >= 0, f"marker not in seed 002 after position {position}: {marker!r}"
        starts.append((found, style))
        position = found + len(marker)
    pieces = []
    for index, (start, style) in enumerate(starts):
        end = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        pieces.append((style, text[start:end].strip()))
    return pieces


def silkeborg_docx(target: Path) -> Path:
    import docx
    document = docx.Document()
    for style, text in silkeborg_pieces():
        if style == "title":
            document.add_heading(text, level=0)
        elif style in ("h1", "h2"):
            document.add_heading(text, level=int(style[1]))
        elif style == "item":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    document.save(target)
    return target


def silkeborg_pdf(target: Path) -> Path:
    tags = {"title": "h1", "h1": "h2", "h2": "h3"}
    body, items = [], []
    for style, text in silkeborg_pieces() + [("end", "")]:
        if style == "item":
            items.append(f"<li>{html.escape(text)}</li>")
            continue
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if style in tags:
            body.append(f"<{tags[style]}>{html.escape(text)}</{tags[style]}>")
        elif style == "p":
            body.append(f"<p>{html.escape(text)}</p>")
    _pdf(body, target)
    return target


def _pdf(body: list[str], target: Path) -> None:
    from weasyprint import HTML
    style = ("body{font-family:sans-serif;font-size:10pt} h1{font-size:18pt} h2{font-size:15pt} h3{font-size:12.5pt}"
             "table{border-collapse:collapse} td{border:1px solid black;padding:3px;vertical-align:top;font-size:8pt}"
             "tr{break-inside:avoid} ul{list-style-type:disc}")
    HTML(string=f"<html lang='da'><head><meta charset='utf-8'><style>{style}</style></head><body>"
                + "".join(body) + "</body></html>").write_pdf(target)


# ------------------------------------------------------------------ the integration action plan 2017-18 (000)
# Seed 000 is the OCR of two slides: the cover of "Integrationshandleplan 2017-2018" beside its one-line
# purpose (slide 1), and its financing with its five focus areas, each a box with its yearly amount
# (slide 2). Each piece is (style, fragments): verbatim OCR fragments found in the seed in order,
# joined by a space; only the OCR's misreadings below are mended, as the slide prints them (the
# hand model quotes the slide by eye: "1. Job via partnerskaber 4,5 mio. kr. årligt").
ACTION_PLAN = SOURCES / "000_e681dae714bbc4ca.txt"
ACTION_PLAN_MODEL = ROOT / "data" / "koebenhavn" / "integrationshandleplan-2017-18.yaml"
ACTION_PLAN_LAYOUT = [
    ("title", ["INTEGRATIONS- HANDLEPLAN 20172018"]),
    ("p", ["Konkrete indsatser, der understotter pejlemeaerkerne og malene fra integrationspolitikken"]),
    ("h1", ["Finansiering af Integrationshandleplanen og Indsatser | nuveerende Integrationshandleplan"]),
    ("p", ["Integrations- handleplanen", "11 mio. kr. arligt"]),
    ("h2", ["Fokusomrader i den nuvaerende Integrationshandleplan", "2017-2018"]),
    ("item", ["1. Job via partnerskaber", "4.5 mio. kr. arligt"]),
    ("item", ["2. Fritidsjob til unge", "3 mio. kr. arligt"]),
    ("item", ["3. Bekeempelse af social kontrol", "2 mio. kr. arligt"]),
    ("item", ["(4. Skoleindsats til bekeempelse af diskrimination", "0,9 mio. kr. arligt"]),
    ("item", ["5. Civilsamfundsindsats for flygtninge", "0,6 mio. kr. arligt"]),
]
# What the OCR misread (lost æ, ø, å; a hyphen split over two lines; a box edge read as '(' or '|').
OCR_MENDED = [
    ("INTEGRATIONS- HANDLEPLAN 20172018", "Integrationshandleplan 2017-2018"),
    ("Integrations- handleplanen", "Integrationshandleplanen"), ("Indsatser | nuveerende", "indsatser i nuværende"),
    ("understotter", "understøtter"), ("pejlemeaerkerne", "pejlemærkerne"), ("malene", "målene"),
    ("Fokusomrader", "Fokusområder"), ("nuvaerende", "nuværende"), ("arligt", "årligt"), ("4.5 mio", "4,5 mio"),
    ("Bekeempelse", "Bekæmpelse"), ("bekeempelse", "bekæmpelse"), ("(4. ", "4. "),
]


def action_plan_pieces() -> list[tuple[str, str]]:
    """(style, text) of the action plan; fails if a fragment is not in seed 000 after the one before."""
    text = " ".join(ACTION_PLAN.read_text(encoding="utf-8").split())
    position, pieces = 0, []
    for style, fragments in ACTION_PLAN_LAYOUT:
        for fragment in fragments:
            found = text.find(fragment, position)
            assert found >= 0, f"fragment not in seed 000 after position {position}: {fragment!r}"
            position = found + len(fragment)
        piece = " ".join(fragments)
        for ocr, mended in OCR_MENDED:
            piece = piece.replace(ocr, mended)
        pieces.append((style, piece))
    return pieces


def action_plan_docx(target: Path) -> Path:
    """The slides as a Word document: the title, the purpose, the financing heading and the plan's
    yearly amount, the focus areas as a list (each with its number and amount, as its box on the slide)."""
    import docx
    document = docx.Document()
    for style, text in action_plan_pieces():
        if style == "title":
            document.add_heading(text, level=0)
        elif style in ("h1", "h2"):
            document.add_heading(text, level=int(style[1]))
        elif style == "item":
            document.add_paragraph(text, style="List Paragraph")
        else:
            document.add_paragraph(text)
    document.save(target)
    return target


def action_plan_pdf(target: Path) -> Path:
    tags = {"title": "h1", "h1": "h2", "h2": "h3", "p": "p"}
    body, items = [], []
    for style, text in action_plan_pieces() + [("end", "")]:
        if style == "item":
            items.append(f"<p>{html.escape(text)}</p>")
            continue
        body += items
        items = []
        if style in tags:
            body.append(f"<{tags[style]}>{html.escape(text)}</{tags[style]}>")
    _pdf(body, target)
    return target


# ------------------------------------------------------------------------------------ bad input files
def encrypted_pdf(path: Path) -> Path:
    """A PDF whose standard security handler wants a password (the empty one does not open it)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
               "<< /Filter /Standard /V 1 /R 2 /O <" + "00" * 32 + "> /U <" + "11" * 32 + "> /P -4 >>"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<{'ab' * 16}> <{'ab' * 16}>] >>\n"
            f"startxref\n{xref}\n%%EOF\n").encode()
    path.write_bytes(out)
    return path


def encrypted_office(path: Path) -> Path:
    """What Word and Excel write for a file with a password: an OLE container holding an
    'EncryptionInfo' stream instead of the zip package (only these two marks are read)."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 512)
    return path


# ------------------------------------------------------------------------------------------ measuring
LABEL_THRESHOLD = 85  # rapidfuzz score on normalised labels for "the same label"


@dataclass
class Score:
    kind: str
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else (1.0 if not self.expected else 0.0)


def same_label(a: str, b: str) -> float:
    """How alike two labels are (0-100) once case, punctuation, stars and numbering are set aside; a
    label that is the other's words with a lead-in (`I 2018 skal ... `) counts when half or more."""
    from loaders.importing.matching import normalise
    x, y = normalise(a), normalise(b)
    score = fuzz.ratio(x, y)
    if min(len(x), len(y)) >= 0.5 * max(len(x), len(y)):
        score = max(score, fuzz.partial_ratio(x, y) if min(len(x), len(y)) > 15 else 0)
    return score


def model_nodes(path: Path) -> list[dict]:
    """Every identified node of a hand-made file with its type, Danish label and budget."""
    from loaders.authoring import read_yaml
    found, stack = [], [read_yaml(path)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "id" in node and "label" in node and isinstance(node["label"], dict):
                types = node.get("type")
                found.append({"id": node["id"], "type": types if isinstance(types, str) else list(types or [""])[0],
                              "label": str(node["label"].get("da", "")), "budget": node.get("budget") or []})
            stack += [v for v in node.values() if isinstance(v, (dict, list))]
        elif isinstance(node, list):
            stack += [v for v in node if isinstance(v, (dict, list))]
    return found


KINDS = {"FocusArea": ("FocusArea",), "Goal": ("Goal",), "SuccessCriterion": ("SuccessCriterion",),
         "Initiative": ("Initiative", "ReservedFund")}


def pairs(expected: list[str], found: list[str]) -> list[tuple[int, int]]:
    """One-to-one pairs of expected and found labels, best matches first."""
    scored = sorted(((same_label(e, f), i, j) for i, e in enumerate(expected) for j, f in enumerate(found)),
                    reverse=True)
    used_e, used_f, out = set(), set(), []
    for score, i, j in scored:
        if score >= LABEL_THRESHOLD and i not in used_e and j not in used_f:
            used_e.add(i)
            used_f.add(j)
            out.append((i, j))
    return out


def measure(imported, model: Path) -> dict[str, Score]:
    """Recall and precision per kind of the imported nodes against the hand model's (labels matched)."""
    nodes = [n for n in model_nodes(model) if n["id"].startswith("doc/")]
    scores = {}
    for kind, types in KINDS.items():
        expected = [n["label"] for n in nodes if n["type"] in types]
        found = [n.label for n in imported.plan.all_nodes() if n.kind in types]
        scores[kind] = Score(kind, len(expected), len(found), len(pairs(expected, found)))
    return scores


def budget_differences(imported, model: Path) -> list[str]:
    """Each hand-model line whose yearly amounts in kroner differ from the imported line of the same
    label (or that has no imported line); empty when the budgets are exactly equal."""
    nodes = [n for n in model_nodes(model) if n["budget"]]
    found = [n for n in imported.plan.all_nodes() if n.budget]
    matched = dict(pairs([n["label"] for n in nodes], [n.label for n in found]))
    differences = []
    for index, node in enumerate(nodes):
        want = {(int(b["year"]), Decimal(str(b["amount"])) * int(b.get("unitMultiplier", 1))) for b in node["budget"]}
        if index not in matched:
            differences.append(f"{node['label']}: not imported")
            continue
        got = {(b.year, b.kroner()) for b in found[matched[index]].budget}
        if got != want:
            differences.append(f"{node['label']}: {sorted(got)} != {sorted(want)}")
    if len(found) != len(nodes):
        differences.append(f"{len(found)} lines imported, {len(nodes)} in the hand model")
    return differences


def build_all(folder: Path) -> dict[str, tuple[Path, Path, Path | None]]:
    """Every measured file: name -> (file, hand model, mapping or None)."""
    folder.mkdir(parents=True, exist_ok=True)
    mapping = folder / "annex-mapping.yaml"
    mapping.write_text(ANNEX_MAPPING, encoding="utf-8")
    return {
        "annex 2019-22 .docx": (annex_docx(folder / "annex.docx"), ANNEX_MODEL, None),
        "annex 2019-22 .pdf": (annex_pdf(folder / "annex.pdf"), ANNEX_MODEL, None),
        "annex 2019-22 .xlsx + mapping": (annex_xlsx(folder / "annex.xlsx"), ANNEX_MODEL, mapping),
        "annex 2019-22 seed .txt": (ANNEX, ANNEX_MODEL, None),
        "action plan 2017-18 .docx": (action_plan_docx(folder / "handleplan.docx"), ACTION_PLAN_MODEL, None),
        "action plan 2017-18 .pdf": (action_plan_pdf(folder / "handleplan.pdf"), ACTION_PLAN_MODEL, None),
        "Silkeborg strategy .docx": (silkeborg_docx(folder / "silkeborg.docx"), SILKEBORG_MODEL, None),
        "Silkeborg strategy .pdf": (silkeborg_pdf(folder / "silkeborg.pdf"), SILKEBORG_MODEL, None),
    }


def report(folder: Path) -> str:
    """The figures as a Markdown table (docs/importing.md)."""
    from loaders.importing import import_plan
    lines = ["| file | focus areas R / P | goals R / P | success criteria R / P | initiatives R / P | budgets |",
             "| --- | --- | --- | --- | --- | --- |"]
    for name, (path, model, mapping) in build_all(folder).items():
        municipality = "org/silkeborg" if "Silkeborg" in name else "org/koebenhavn"
        imported = import_plan(path, mapping, municipality, ROOT / "data")
        scores = measure(imported, model)
        cells = []
        for kind in KINDS:
            s = scores[kind]
            precision = f"{s.matched}/{s.found} = {s.precision:.2f}" if s.found else "none found"
            cells.append(f"{s.matched}/{s.expected} = {s.recall:.2f} / {precision}" if s.expected or s.found
                         else "none in either")
        budgets = budget_differences(imported, model) if "Silkeborg" not in name else None
        verdict = "n/a" if budgets is None else ("exactly equal" if not budgets else f"{len(budgets)} differ")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {verdict} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import tempfile
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        print(report(Path(tmp)))
