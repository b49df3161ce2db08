"""The question library's answers as a person reads them, to compare the hand model with imported plans.

Used by tests/graph/pipeline/test_import_answers.py (graph level) and the browser test. An answer is
read as its rows of cells: an IRI by its name (graph/store/labels.py), a literal by its text, a text
cell that stands for IRIs or terms by their names; rows sorted, since two stores need not give them
in the same order. IRIs never count: an imported node with another id but the same name and numbers
answers the same.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HAND_FILES = ("koebenhavn/integrationshandleplan-2017-18.yaml", "koebenhavn/integrationshandleplan-2019-22.yaml")
MUNICIPALITY = "org/koebenhavn"
OTHER = "org/silkeborg"
LANGS = ("da", "en")


def data_without_hand_files(target: Path) -> Path:
    """A copy of data/ without the two hand-made plans the import replaces."""
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(".git"))
    for name in HAND_FILES:
        (target / name).unlink()
    return target


def runs(named) -> list[dict[str, str]]:
    """Each question national (its defaults) and, where it takes one, for the municipality; the
    comparison of two municipalities for Copenhagen and Silkeborg, both ways."""
    names = {parameter.name for parameter in named.parameters}
    out: list[dict[str, str]] = [] if named.needs_input({}) else [{}]
    if "municipality" in names:
        out.append({"municipality": MUNICIPALITY})
    if {"municipality1", "municipality2"} <= names:   # Copenhagen beside the other municipality of data/
        out += [{"municipality1": MUNICIPALITY, "municipality2": OTHER}, {"municipality1": OTHER, "municipality2": MUNICIPALITY}]
    return [given for given in out if not named.needs_input(given)]


def readable(store, named, result, lang: str) -> list[tuple[str, ...]]:
    """The rows as text a person reads, sorted: each cell named as the question page names it
    (web/questions.py: IRIs by their label, text cells that stand for terms by the terms' names)."""
    from graph.questions.answer import labels_for
    from graph.questions.results import term_iris, term_names
    from graph.store.labels import Labeller
    names = labels_for(store, {t.value for row in result.rows for t in row.values() if isinstance(t, ox.NamedNode)}, lang)
    labeller = Labeller(store, lang)
    declared = [c for c in named.columns if c.values]
    labeller.load({iri for row in result.rows for c in declared if isinstance(row.get(c.name), ox.Literal)
                   for iri in term_iris(row[c.name].value, c.values) or ()})

    def cell(column: str, term: Any) -> str:
        if term is None:
            return ""
        if isinstance(term, ox.NamedNode):
            return names.get(term.value, term.value)
        if isinstance(term, ox.BlankNode):
            return "_"
        column_def = named.column(column)
        stood_for = term_names(term.value, column_def.values, labeller) if column_def is not None else None
        return stood_for if stood_for is not None else term.value

    return sorted(tuple(cell(c, row.get(c)) for c in result.columns) for row in result.rows)


def answers(store) -> Iterator[tuple[str, str, str, list[tuple[str, ...]]]]:
    """(question id, language, parameters, readable rows) for every question of the library."""
    from graph.questions.library import load_library, run_named
    library = load_library()
    for qid in sorted(library):
        named = library[qid]
        for params in runs(named):
            for lang in LANGS:
                result = run_named(store, named, params, lang)
                yield qid, lang, ",".join(f"{k}={v}" for k, v in params.items()), readable(store, named, result, lang)


def differences(hand: dict, imported: dict) -> dict[tuple[str, str, str], tuple[list, list]]:
    """Per (question, language, parameters): (rows only the hand model gives, rows only the import gives)."""
    out = {}
    for key in hand:
        a, b = hand[key], imported.get(key, [])
        only_hand = [r for r in a if r not in b]
        only_imported = [r for r in b if r not in a]
        if only_hand or only_imported:
            out[key] = (only_hand, only_imported)
    return out


def answer_table(store) -> dict[tuple[str, str, str], list[tuple[str, ...]]]:
    return {(qid, lang, params): rows for qid, lang, params, rows in answers(store)}


# ------------------------------------------------------------------------------- the review, step by step
# What a strategist does on the review page to make the imported drafts say what the hand model says,
# each one action the page offers (graph/pipeline/draft_review.py; web/importing.py `edit`):
#   ("change", node, {"label": da, "label_en": en})   the label as the document writes it, and in English
#   ("set", node, {"field": name, "value": ids})        a link or fact the document does not state
#   ("rename", node, {"new_id": id})                   the id other plans already name the plan by
# A node is named by the end of its id in the draft ("" is the plan itself).
ACTION_PLAN_REVIEW = [
    # the title says 2017-2018; the data folder (and the 2019-22 plan) name it ...-2017-18
    ("rename", "", {"new_id": "doc/koebenhavn/integrationshandleplan-2017-18"}),
    ("change", "", {"label_en": "Integration Action Plan 2017-2018"}),
    ("set", "", {"field": "status", "value": "Expired"}),
    # slide 1: the action plan carries out the integration policy's bearings and goals
    ("set", "", {"field": "implements", "value": "doc/koebenhavn/integrationspolitik-2015-18"}),
    ("change", "job-via-partnerskaber", {"label_en": "Jobs through partnerships"}),
    ("set", "job-via-partnerskaber", {"field": "themes", "value": "theme/beskaeftigelse"}),
    ("change", "fritidsjob-til-unge", {"label_en": "Leisure-time jobs for young people"}),
    ("set", "fritidsjob-til-unge", {"field": "themes", "value": "theme/beskaeftigelse"}),
    ("change", "bekaempelse-af-social-kontrol", {"label_en": "Combating social control"}),
    ("change", "skoleindsats-til-bekaempelse-af-diskrimination",
     {"label_en": "School initiative to combat discrimination"}),
    ("set", "skoleindsats-til-bekaempelse-af-diskrimination", {"field": "themes", "value": "theme/diskrimination"}),
    ("change", "civilsamfundsindsats-for-flygtninge", {"label_en": "Civil-society initiative for refugees"}),
    ("set", "civilsamfundsindsats-for-flygtninge", {"field": "themes", "value": "theme/civilsamfund"}),
]
ANNEX_REVIEW = [
    ("change", "", {"label_en": "Integration Action Plan 2019-22"}),
    ("set", "", {"field": "status", "value": "Adopted"}),
    # seed 001: the committee adopted the plan in 2018; seed 000: it replaces the 'current' 2017-18 plan
    ("set", "", {"field": "adoptedBy", "value": "org/koebenhavn/biu"}),
    ("set", "", {"field": "adoptedInYear", "value": "2018"}),
    ("set", "", {"field": "replaces", "value": "doc/koebenhavn/integrationshandleplan-2017-18"}),
    ("change", "jobparate-ledige", {"label_en": "Job-ready unemployed"}),
    ("change", "udsatte-ledige", {"label_en": "Vulnerable unemployed"}),
    # the sheet's cell breaks the word: familie-forsørgede
    ("change", "kvinder-og-familie-forsoergede",
     {"label": "Kvinder og familieforsørgede", "label_en": "Women and family-supported persons"}),
    ("change", "mangfoldig-rekruttering", {"label_en": "Diverse recruitment"}),
    ("change", "unge-i-uddannelse", {"label_en": "Young people in education"}),
    ("change", "unge-i-job", {"label_en": "Young people in jobs"}),
    ("change", "forebyggelse-af-social-kontrol", {"label_en": "Prevention of social control"}),
    ("change", "haandholdt-og-kontinuerlig-virksomhedsindsats",
     {"label_en": "Hands-on and continuous company-based initiative"}),
    ("set", "haandholdt-og-kontinuerlig-virksomhedsindsats", {"field": "themes", "value": "theme/beskaeftigelse"}),
    ("change", "haandholdt-og-kontinuerlig-virksomhedsindsats-med",
     {"label_en": "Hands-on and continuous company-based initiative with an initial health review, "
                  "with a special focus on unemployed women"}),
    ("set", "haandholdt-og-kontinuerlig-virksomhedsindsats-med",
     {"field": "themes", "value": "theme/beskaeftigelse theme/sundhed-og-trivsel"}),
    ("change", "barselsgruppe-med-fokus-paa-job-og-uddannelse",
     {"label_en": "Maternity group focused on jobs and education"}),
    ("set", "barselsgruppe-med-fokus-paa-job-og-uddannelse",
     {"field": "targetGroups", "value": "tg/kvinder-paa-integrationsydelse-gravide-eller-paa-barsel"}),
    ("set", "barselsgruppe-med-fokus-paa-job-og-uddannelse",
     {"field": "sizeGroup", "value": "tg/kvinder-paa-integrationsydelse-gravide-eller-paa-barsel"}),
    ("change", "virksomhedsindsats-til-bekaempelse-af-ubevidst",
     {"label_en": "Company initiative to combat unconscious discrimination"}),
    ("set", "virksomhedsindsats-til-bekaempelse-af-ubevidst",
     {"field": "themes", "value": "theme/diskrimination theme/beskaeftigelse"}),
    ("change", "flere-laerepladser", {"label_en": "More apprenticeships"}),
    ("set", "flere-laerepladser", {"field": "targetGroups",
                                   "value": "tg/minoritetsunge-uden-laereplads tg/unge-i-risiko-for-frafald-fra-erhvervsuddannelse"}),
    ("set", "flere-laerepladser", {"field": "themes", "value": "theme/uddannelse"}),
    ("change", "fritidsjob", {"label_en": "Leisure-time jobs"}),
    ("set", "fritidsjob", {"field": "targetGroups", "value": "tg/minoritetsunge tg/nyankomne-unge-flygtninge"}),
    ("set", "fritidsjob", {"field": "themes", "value": "theme/beskaeftigelse"}),
    ("change", "helhedsorienteret-forebyggelse-af-social-kontrol", {"label_en": "Holistic prevention of social control"}),
    ("set", "helhedsorienteret-forebyggelse-af-social-kontrol",
     {"field": "targetGroups", "value": "tg/unge tg/foraeldre tg/fagpersonale"}),
    # the importer also read 'beskæftigelse' out of the text (social control as a barrier to women's jobs)
    ("set", "helhedsorienteret-forebyggelse-af-social-kontrol", {"field": "themes", "value": "theme/social-kontrol"}),
    # the text: 'viderefører denne indsats "Bekæmpelse af social kontrol" fra Integrationshandleplan 2017-18'
    ("set", "helhedsorienteret-forebyggelse-af-social-kontrol",
     {"field": "continues", "value": "doc/koebenhavn/integrationshandleplan-2017-18/bekaempelse-af-social-kontrol"}),
    ("change", "survey-om-medborgerskab", {"label_en": "Survey on citizenship"}),
    ("change", "biu-s-pulje-reserveret-til-at-ivaerksaette-nye",
     {"label_en": "The Employment and Integration Committee's pool reserved for launching new initiatives"}),
]


def node_id(text: str, node: str) -> str:
    """The draft's id of a node named by the end of its id ("" the plan)."""
    from graph.pipeline.draft_review import plan_id
    plan = plan_id(text)
    return plan if not node else f"{plan}/{node}"


def review(text: str, steps) -> str:
    """The draft text after the review's actions, each as the page performs it."""
    from graph.pipeline import draft_review
    for action, node, fields in steps:
        target = node_id(text, node)
        if action == "change":
            text = draft_review.change(text, target, fields.get("label"), {}, fields.get("label_en"))
        elif action == "set":
            text = draft_review.set_field(text, target, fields["field"], fields["value"])
        elif action == "rename":
            text = draft_review.rename(text, target, fields["new_id"])
        else:
            raise ValueError(action)
    return text
