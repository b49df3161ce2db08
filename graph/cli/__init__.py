"""The `policygraph` command: the group and its context (context.py), the commands about the store
(store_commands.py), the national graph through an engine's bulk loader (bulk_commands.py), the questions (queries.py), analyses (analysis.py), search (search_command.py),
importing documents as drafts (import_command.py) and plans out and in as YAML or StratML
(plan_exchange.py). `serve` and `report` are added by web/cli.py, where the `policygraph` script starts."""
from __future__ import annotations

from graph.cli import analysis, bulk_commands, import_command, plan_exchange, queries, search_command, store_commands
from graph.cli.context import main, with_lang_after_name

for _module in (store_commands, bulk_commands, queries, analysis, search_command, import_command, plan_exchange):
    for _command in _module.COMMANDS:
        main.add_command(with_lang_after_name(_command))

__all__ = ["main"]
