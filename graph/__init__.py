"""The graph layer: the store API, validation, statistics and the CLI."""
