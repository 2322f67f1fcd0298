"""The ``geomap`` command: a thin layer over the library."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from .errors import GeomapError, InputError
from .settings import (ACTORS_FILE, BORDER_KM, BOUNDARIES_FOLDER, COUNTRY_MARGIN_KM, GAZETTEER_DIR,
                       DOCUMENT_CACHE_FILE, DOCUMENT_CACHE_VARIABLE, GEOCODER_CACHE_FILE, GEOCODER_PROVIDER, GEOCODER_URL_VARIABLE, OUT_DIR, PLACES_FILE, SEEDS_DIR,
                       Settings)

_FOLDER = click.Path(file_okay=False, path_type=Path)


def _geocoder_options(command):
    """--online, --geocoder and --geocoder-url, shared by build and resolve."""
    command = click.option("--geocoder-url", envvar=GEOCODER_URL_VARIABLE, default=None, metavar="URL",
                           help="The geocoder's server, e.g. your own Nominatim "
                                "[default: $GEOMAP_GEOCODER_URL, else the public Nominatim].")(command)
    command = click.option("--geocoder", "geocoder_provider", default=GEOCODER_PROVIDER, show_default=True,
                           metavar="NAME", help="Any geopy geocoder by name (nominatim, photon, ...).")(command)
    command = click.option("--online/--offline", default=False, show_default=True,
                           help="Ask the online geocoder for names no offline source knows. Offline, "
                                "its earlier answers (gazetteer/geocoded.csv) are still used.")(command)
    return command


def _fail(error: GeomapError):
    click.echo(f"geomap: error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="geomap")
def main():
    """Turn a folder of news articles into a sourced, layered, interactive map.

    Documents -> place mentions -> resolved places -> dated events -> map layers.
    """
    # geopy logs every retried request with a traceback; the build reports faults itself
    logging.getLogger("geopy").addHandler(logging.NullHandler())
    logging.getLogger("geopy").propagate = False
    # geomap's warnings reach the user as the build's notices; a handler here keeps logging's
    # last-resort one from printing them a second time (and still lets them propagate)
    logging.getLogger("geomap").addHandler(logging.NullHandler())


@main.command()
@click.option("--seeds", "seeds_dir", type=_FOLDER, default=SEEDS_DIR, show_default=True,
              help="Folder of documents (*.txt, *.md), with an optional manifest.csv.")
@click.option("--gazetteer", "gazetteer_dir", type=_FOLDER, default=GAZETTEER_DIR, show_default=True,
              help="The editors' folder: places.csv, actors.csv, geocoded.csv, not_places.txt, boundaries/.")
@click.option("--out", "out_dir", type=_FOLDER, default=OUT_DIR, show_default=True,
              help="Folder to write index.html and the data exports to (replaced as a whole).")
@click.option("--cache", "cache_dir", type=_FOLDER, default=None,
              help="Folder for the derived GeoNames index and the stored per-document results "
                   "[default: $GEOMAP_CACHE_DIR or ~/.cache/geomap].")
@click.option("--border-km", type=click.FloatRange(min=0), default=BORDER_KM, show_default=True,
              help="Places this close to an international land border are border places.")
@_geocoder_options
@click.option("--strict", is_flag=True,
              help="Stop on a document that would be skipped or read with a fallback (an unreadable or "
                   "binary file, a guessed encoding, broken front matter) instead of warning.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, metavar="N",
              help="Worker processes for reading documents [default: 0, one per core]. Output does not depend "
                   "on it. --online reads in one process.")
@click.option("--dask", "dask_address", metavar="ADDRESS", default=None,
              help="Read documents on the workers of this Dask scheduler (tcp://host:8786) instead of local "
                   "processes; needs geomap[dask] here and the same geomap on the workers. Output does not "
                   "depend on it.")
@click.option("--ner", is_flag=True,
              help="Also find places with spaCy's statistical recogniser (needs geomap[ner] and its model, "
                   "see README); about half as fast.")
@click.option("--no-cache", is_flag=True,
              help="Read every document again instead of reusing what an earlier build found in an unchanged "
                   "one [default: reuse, from $GEOMAP_DOCUMENT_CACHE or CACHE/documents-v1.sqlite].")
@click.option("--timings", "timings_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the wall and CPU seconds of each stage to this JSON file.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; print only the summary and warnings.")
def build(seeds_dir: Path, gazetteer_dir: Path, out_dir: Path, cache_dir: Path | None, border_km: float,
          online: bool, geocoder_provider: str, geocoder_url: str | None, strict: bool, jobs: int, dask_address: str | None,
          ner: bool, no_cache: bool, timings_file: Path | None, quiet: bool):
    """Build the map and data exports from a folder of documents (offline).

    The gazetteer is checked first (as `geomap check` does); on any error nothing is built and the
    previous output stays as it was. A document that cannot be read is skipped with a warning naming
    it (--strict: an error). Mentions that need an editor's eye go to OUT/review.csv."""
    from tqdm import tqdm

    from .build import build as run_build

    paths = {"cache_dir": cache_dir} if cache_dir else {}
    if no_cache:
        paths["document_cache"] = None
    elif cache_dir and not os.environ.get(DOCUMENT_CACHE_VARIABLE):
        paths["document_cache"] = cache_dir / DOCUMENT_CACHE_FILE
    settings = Settings(seeds_dir=seeds_dir, gazetteer_dir=gazetteer_dir, out_dir=out_dir, border_km=border_km,
                        online=online, geocoder_provider=geocoder_provider, geocoder_url=geocoder_url, strict=strict,
                        jobs=jobs, dask=dask_address, ner=ner, **paths)

    # tqdm's monitor thread would outlive the bar, and a process running other threads forks no
    # workers (``forked``): the bar needs no monitor
    tqdm.monitor_interval = 0

    def progress(items, total):
        return tqdm(items, total=total, desc="documents", unit="doc", disable=quiet or None, file=sys.stderr,
                    leave=False)

    try:
        result = run_build(settings, progress=progress, notify=lambda message: click.echo(message, err=True))
    except GeomapError as error:
        _fail(error)
    if result.warnings:
        click.echo(f"{len(result.warnings)} warning(s) in the gazetteer (geomap check lists them)", err=True)
    for fault in result.geocoder_faults:
        click.echo(f"geocoder: '{fault.query}' left unresolved: {fault.reason}", err=True)
    if timings_file is not None:
        _write_timings(timings_file, result)
    click.echo(result.summary())
    click.echo(result.review_summary())


def _write_timings(path: Path, result) -> None:
    import json

    try:
        path.write_text(json.dumps({"documents": result.counts["documents"], "reused": result.counts["reused"],
                                    "workers": result.counts["workers"],
                                    "stages": result.timings.as_dict()}, indent=1) + "\n", encoding="utf-8")
    except OSError as error:
        click.echo(f"geomap: warning: {path}: timings not written: {error.strerror or error}", err=True)


@main.command()
@click.option("--gazetteer", "gazetteer_dir", type=_FOLDER, default=GAZETTEER_DIR, show_default=True,
              help="The editors' folder: places.csv, actors.csv, geocoded.csv, not_places.txt, boundaries/.")
@click.option("--margin-km", type=click.FloatRange(min=0), default=COUNTRY_MARGIN_KM, show_default=True,
              help="How far outside its country's (generalised) outline a point may lie.")
@click.option("--fix-order", is_flag=True,
              help="Rewrite places.csv sorted by id with normalised formatting (nothing else changes).")
def check(gazetteer_dir: Path, margin_km: float, fix_order: bool):
    """Validate the gazetteer files and print every problem as FILE:LINE: column C: message.

    Exit code 0 when there are no errors (warnings are shown but do not fail), 1 on errors."""
    from .gazetteer.check import check_places, fix_order as reorder
    from .actors import check_actors
    from .resolve import validate_cache
    from .gazetteer.geometry import Boundaries

    path = gazetteer_dir / PLACES_FILE
    if not path.exists():
        from .gazetteer.table import no_places_file

        _fail(InputError(no_places_file(gazetteer_dir), path=str(gazetteer_dir)))
    try:
        if fix_order:
            click.echo(f"{path}: {reorder(path)} rows written in id order")
    except GeomapError as error:
        _fail(error)
    boundaries = Boundaries(gazetteer_dir / BOUNDARIES_FOLDER)
    if not boundaries.available:
        click.echo(f"{gazetteer_dir / 'boundaries'}: no {boundaries.folder.name} data; geometry checks skipped",
                   err=True)
    try:
        _, problems = check_places(path, boundaries if boundaries.available else None, margin_km)
    except GeomapError as error:  # a boundary file that is not GeoJSON: where it is broken
        _fail(error)
    problems += validate_cache(gazetteer_dir / GEOCODER_CACHE_FILE)
    if (gazetteer_dir / ACTORS_FILE).exists():
        problems += check_actors(gazetteer_dir / ACTORS_FILE)[1]
    for problem in problems:
        click.echo(str(problem))
    errors = sum(1 for p in problems if p.is_error)
    click.echo(f"{errors} error(s), {len(problems) - errors} warning(s)", err=True)
    sys.exit(1 if errors else 0)


@main.command()
@click.argument("name")
@click.option("--gazetteer", "gazetteer_dir", type=_FOLDER, default=GAZETTEER_DIR, show_default=True,
              help="The editors' folder: places.csv and geocoded.csv (the geocoder's cached answers).")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Country (ISO alpha-2) the text is about, as a document's other places would say; repeatable.")
@click.option("--cache", "cache_dir", type=_FOLDER, default=None, help="Folder for the derived GeoNames index.")
@click.option("--limit", default=10, show_default=True, help="Show at most this many candidates (0: all).")
@_geocoder_options
def resolve(name: str, gazetteer_dir: Path, countries: tuple[str, ...], cache_dir: Path | None, limit: int,
            online: bool, geocoder_provider: str, geocoder_url: str | None):
    """Show which stage resolves NAME, every candidate it considered, and why the winner won."""
    from collections import Counter

    if not name.strip():
        _fail(InputError("NAME is empty: give the place name to look up, e.g. geomap resolve Poipet"))
    from .gazetteer.check import iso_country_codes

    unknown = [c for c in countries if c.upper() not in iso_country_codes()]
    if unknown:  # "USA" would be a hint that silently counts for nothing
        _fail(InputError(f"--country {unknown[0]}: not an ISO 3166-1 alpha-2 code (two letters such as KH, TH, US)"))

    from .build import make_geocoder, make_resolver, open_geonames
    from .gazetteer.table import load_gazetteer
    from .records import Mention
    from .resolve import Context

    settings = Settings(gazetteer_dir=gazetteer_dir, online=online, geocoder_provider=geocoder_provider,
                        geocoder_url=geocoder_url, **({"cache_dir": cache_dir} if cache_dir else {}))
    try:
        gazetteer = load_gazetteer(gazetteer_dir)
        geonames = open_geonames(settings)
        geocoder = make_geocoder(settings, gazetteer)
    except GeomapError as error:
        _fail(error)
    resolver = make_resolver(gazetteer, geonames, [geocoder])
    mention = Mention(doc="", start=0, end=len(name), surface=name, sentence_index=0)
    result = resolver.resolve(mention, Context(Counter(c.upper() for c in countries)))
    shown = result.candidates if limit <= 0 else result.candidates[:limit]
    for candidate in shown:
        p = candidate.place
        chosen = "*" if result.place is not None and p.id == result.place.id and \
            candidate.stage == result.resolved_by else " "
        click.echo(f"{chosen} {candidate.stage:9} {candidate.score:7.2f}  {p.id}  {p.name} ({p.kind}, "
                   f"{p.country or '--'}) {p.lat:.4f},{p.lon:.4f} ±{p.precision_km:g} km — {candidate.why}")
    if len(shown) < len(result.candidates):
        click.echo(f"  ... and {len(result.candidates) - len(shown)} more (--limit 0 shows all)")
    if result.place is None:
        click.echo(f"'{name}': unresolved — {result.reason}.")
        sys.exit(1)
    flag = " (ambiguous: check the candidates)" if result.ambiguous else ""
    click.echo(f"'{name}' -> {result.place.id}{flag}. {result.reason}")
