"""Live workshops on the graph: the log of what participants do (log.py), kept apart from the store
until the facilitator accepts it."""
