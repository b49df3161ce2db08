"""The `policygraph` group: its options, the context every command gets (the store, the language),
and how a user mistake ends (one line on stderr, a non-zero exit; tracebacks are for our own bugs)."""
from __future__ import annotations

import sys

import click
from click.core import ParameterSource

from graph.cli.logs import configure_logging
from graph.store import Store, StoreError, endpoint_settings, open_store

DEFAULT_STORE = "var/store"


def fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


class Context:
    def __init__(self, store: str, endpoint: str | None, update_endpoint: str | None, lang: str,
                 graph_store: str | None = None) -> None:
        self.location, self.endpoint, self.update_endpoint, self.lang = store, endpoint, update_endpoint, lang
        self.graph_store = graph_store
        self.in_memory = False  # `serve` answers from a copy in memory
        self._store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            try:  # the same reader of the remote engine's settings as the web app's
                settings = endpoint_settings(self.endpoint, self.update_endpoint, self.graph_store)
            except StoreError as error:
                fail(str(error))
            self._store = open_store(self.location, in_memory=self.in_memory, settings=settings)
        return self._store

    def close(self) -> None:
        """Release the on-disk store so the next command (or process) can open it."""
        if self._store is not None:
            self._store.close()
            self._store = None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="POLICYGRAPH_STORE", default=DEFAULT_STORE, show_default=True,
              help="Folder of the embedded Oxigraph store.")
@click.option("--endpoint", envvar="POLICYGRAPH_ENDPOINT", help="Use a remote SPARQL 1.1 query endpoint instead.")
@click.option("--update-endpoint", envvar="POLICYGRAPH_UPDATE_ENDPOINT", help="Its update endpoint (default: the same URL).")
@click.option("--graph-store", envvar="POLICYGRAPH_GRAPH_STORE",
              help="Its SPARQL Graph Store Protocol address: statements are POSTed there, much faster than as updates.")
@click.option("--lang", type=click.Choice(["da", "en"]), envvar="POLICYGRAPH_LANG", default="en", show_default=True)
@click.pass_context
def main(ctx: click.Context, store: str, endpoint: str | None, update_endpoint: str | None, graph_store: str | None,
         lang: str) -> None:
    """PolicyGraph: municipal plans as a knowledge graph; find synergies, overlaps and gaps."""
    configure_logging("WARNING")  # warnings on stderr; `serve` raises it to INFO for its request log
    ctx.obj = Context(store, endpoint, update_endpoint, lang, graph_store)
    ctx.call_on_close(ctx.obj.close)


LANG_CHOSEN = "policygraph.lang_chosen"


def _lang_after_command(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """`policygraph report --lang da` means the same as `policygraph --lang da report`: people write
    the option after the command they are thinking of, and click only reads group options before it."""
    if value is not None:
        ctx.find_object(Context).lang = value
        ctx.meta[LANG_CHOSEN] = True


def with_lang_after_name(command: click.Command) -> click.Command:
    """Every command also takes --lang after its name (unless it has a --lang of its own)."""
    if not any(param.name == "lang" for param in command.params):
        command.params.append(click.Option(["--lang"], type=click.Choice(["da", "en"]), expose_value=False,
                                           callback=_lang_after_command,
                                           help="Language of messages and labels (as before the command)."))
    return command


def language_chosen(context: click.Context) -> bool:
    """Whether the user chose a language (--lang before or after the command, or POLICYGRAPH_LANG)."""
    root = context.find_root()
    return root.get_parameter_source("lang") is not ParameterSource.DEFAULT or context.meta.get(LANG_CHOSEN, False)
