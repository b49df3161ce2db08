"""SPARQL text before the engine sees it: the one lexer and its checks (text.py), parameters bound
as VALUES (bindings.py), and the dataset a request names (dataset.py)."""
