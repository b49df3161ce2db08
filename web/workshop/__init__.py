"""The workshop area: live cross-departmental coordination workshops on the graph (issue 15).
`views` holds the blueprint; `live` the panels, the stream and write-back; `access` who is asking;
`naming` how items are named; `setup` the log, secret key, CSRF and rate limits."""
