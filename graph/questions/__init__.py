"""The question library: one .rq file per coherence question in queries/ with its metadata
(library.py), how an answer is explained (explain.py), formatted (results.py) and gathered into the
coherence report (report.py)."""
