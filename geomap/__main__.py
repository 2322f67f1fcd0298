"""`python -m geomap` is the `geomap` command."""

from .cli import main

main(prog_name="geomap")
