"""`python -m devagenda`, the same as the `devagenda` command."""

from devagenda.cli import app

app(prog_name="devagenda")
