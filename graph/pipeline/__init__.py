"""What a load runs, in order: read and write all or nothing (load.py), validate with SHACL
(validation.py, scoped by validation_scope.py, SPARQL constraints by shacl_sparql.py), derive links
(derive.py with derive_rules.py and budget_sums.py), and OWL reasoning (reasoning.py)."""
