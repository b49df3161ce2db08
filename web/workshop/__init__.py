"""The workshop area: live cross-departmental coordination workshops on the graph.
One blueprint, `bp`, whose routes live in `views` (pages, live panels, acting, the stream) and
`documents` (briefings, record, letters, scores and votes; `briefing` draws the briefing); `live`
holds the panels' data, the stream and write-back; `access` who is asking; `naming` how items are
named; `setup` the log, secret key, CSRF and rate limits."""
from flask import Blueprint

bp = Blueprint("workshop", __name__)

from web.workshop import documents, views  # noqa: E402 (the routes, registered on bp defined above)

__all__ = ["bp", "documents", "views"]
