"""Where a resource's page lives: IRIs under our base dereference at `/id/...` (so a w3id redirect
to this server just works); any other IRI (ontology terms, external vocabularies) at `/resource?iri=`."""
from __future__ import annotations

from flask import url_for

from ontology import base_iri


def resource_url(iri: str, **params: str) -> str:
    base = base_iri()
    if iri.startswith(base) and len(iri) > len(base) and "#" not in iri:
        return url_for("resources.by_path", path=iri[len(base):], **params)
    return url_for("resources.by_iri", iri=iri, **params)


def iri_from_path(path: str) -> str:
    return base_iri() + path
