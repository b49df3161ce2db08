"""`python -m loaders FILE...`: read files and report their statement counts or the first error."""
import sys
from pathlib import Path

from loaders import LoadError, load_paths

try:
    for loaded in load_paths([Path(p) for p in sys.argv[1:]]):
        print(f"{loaded.path}: {len(loaded.quads)} statements -> <{loaded.graph}>")
except LoadError as error:
    sys.exit(f"error: {error}")
