"""``w2veval goldsets ...``: the catalog, downloads, and tools for your own gold sets."""

from __future__ import annotations

import argparse

from .._output import to_csv, to_json, to_table
from ._goldset_files import add_goldset_file_options, goldset_file_options
from ._options import add_format_option, add_progress_option
from ._types import ScaleAction, accept_negative_numbers, finite_float, positive_int, rater_columns, seed

__all__ = ["add_goldsets_commands"]

LIST_COLUMNS = ("name", "language", "kind", "n_pairs", "installed")


def add_goldsets_commands(commands) -> None:
    group = commands.add_parser(
        "goldsets",
        help="list, fetch, import and build gold sets",
        description="The gold-set catalog and tools for your own gold sets.",
    )
    sub = group.add_subparsers(dest="goldsets_command", required=True, metavar="COMMAND")

    listing = sub.add_parser(
        "list",
        help="every catalogued gold set",
        description="One row per catalogued gold set: language, kind, pairs and "
        "whether it can be loaded now.",
    )
    add_format_option(listing)
    listing.add_argument("--installed", action="store_true", help="only the sets that can be loaded now")
    listing.set_defaults(run=_list)

    show = sub.add_parser(
        "show",
        help="metadata, files and citation of a gold set",
        description="Everything the catalog says of one gold set, which of its files "
        "are installed, and where a built-in copy comes from.",
    )
    show.add_argument("name", help="catalogued gold-set name, e.g. ws353")
    add_format_option(show, ("text", "json"))
    show.set_defaults(run=_show)

    cite = sub.add_parser(
        "cite",
        help="BibTeX for a paper's reference list",
        description="The BibTeX entries of the named gold sets, each paper once.",
    )
    cite.add_argument("names", nargs="+", metavar="NAME", help="catalogued gold-set names")
    cite.set_defaults(run=_cite)

    fetch = sub.add_parser(
        "fetch",
        help="download gold sets into the cache (checksums verified)",
        description="Download catalogued gold sets into the cache (W2VEVAL_HOME); "
        "each file's sha256 is checked before it is installed.",
    )
    fetch.add_argument("names", nargs="*", metavar="NAME", help="catalogued gold-set names")
    fetch.add_argument("--all", action="store_true", help="every catalogued set")
    add_progress_option(fetch)
    fetch.set_defaults(run=_fetch)

    importing = sub.add_parser(
        "import",
        help="install gold sets from a local folder (matched by sha256)",
        description="Install the catalogued files found anywhere under a folder, "
        "recognised by their sha256 (names do not matter), and list "
        "the files that match nothing.",
    )
    importing.add_argument("folder", metavar="DIR", help="folder holding copies of gold-set files")
    add_format_option(importing, ("text", "json"))
    add_progress_option(importing)
    importing.set_defaults(run=_import)

    template = sub.add_parser(
        "template",
        help="propose pairs for rating: a CSV annotation sheet",
        description="Propose word pairs for people to rate, stratified by frequency "
        "and similarity, as a CSV annotation sheet.",
    )
    template.add_argument(
        "source",
        metavar="VOCAB_OR_VECTORS",
        help="vocabulary file (one word per line, most frequent first) or vectors source",
    )
    template.add_argument("--n", type=positive_int, default=200, help="number of pairs (default 200)")
    template.add_argument("--seed", type=seed, default=0, help="sampling seed (default 0)")
    template.add_argument(
        "-o", "--output", metavar="FILE", help="CSV file to write, atomically (default: stdout)"
    )
    template.add_argument(
        "--overwrite", action="store_true", help="replace an existing FILE (which may already hold ratings)"
    )
    add_progress_option(template)
    template.set_defaults(run=_template)

    validate = sub.add_parser(
        "validate",
        help="check a gold-set file before tuning on it",
        description="Check a gold-set file: scores outside the scale, repeated or "
        "self pairs, ties, and (with --vectors) words the vectors lack.",
    )
    validate.add_argument("path", metavar="FILE", help="the gold-set file (word1, word2, score)")
    validate.add_argument("--vectors", metavar="VECTORS", help="report words these vectors do not know")
    validate.add_argument("--strict", action="store_true", help="warnings are errors (exit 2)")
    validate.add_argument(
        "--scale",
        nargs=2,
        type=finite_float,
        action=ScaleAction,
        metavar=("LOW", "HIGH"),
        help="the score scale raters used, to flag scores outside it",
    )
    add_format_option(validate, ("text", "json"))
    add_progress_option(validate)
    add_goldset_file_options(validate, duplicates=False)
    accept_negative_numbers(validate)  # --scale -1e308 1e308
    validate.set_defaults(run=_validate)

    agreement = sub.add_parser(
        "agreement",
        help="inter-rater agreement of a file with one column per rater",
        description="Inter-rater agreement of a ratings file (word1, word2, one "
        "column per rater): pairwise and leave-one-out Spearman, "
        "Krippendorff's alpha, and the ceiling they set.",
    )
    agreement.add_argument(
        "path", metavar="FILE", help="ratings file: word1, word2, then one column per rater"
    )
    add_format_option(agreement, ("text", "json"))
    agreement.add_argument(
        "--anonymous",
        action="store_true",
        help="columns are ratings but not one rater each (Krippendorff's alpha only)",
    )
    agreement.add_argument(
        "--columns",
        type=rater_columns,
        metavar="COLUMNS",
        help="the rater columns, by header name or 0-based number, comma-separated "
        "(default: every column after the two words)",
    )
    agreement.add_argument(
        "--header",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the first row is (or is not) a header; default: decided from the row",
    )
    agreement.add_argument(
        "--min-overlap",
        type=positive_int,
        default=5,
        metavar="N",
        help="pairs two raters must share for their correlation (default 5)",
    )
    add_progress_option(agreement)
    agreement.set_defaults(run=_agreement)


def _list(args) -> str:
    from .. import goldsets

    rows = goldsets.catalog_rows(installed_only=args.installed)
    if args.format == "csv":
        return to_csv(rows).rstrip("\n")
    return to_json(rows) if args.format == "json" else to_table(rows, LIST_COLUMNS)


def _show(args) -> str:
    from .. import goldsets

    info = goldsets.describe(args.name)
    if args.format == "json":
        return to_json(info)
    lines = [f"{info['name']}: {info['title']}"]
    for key in (
        "language",
        "kind",
        "scale",
        "n_pairs",
        "pos",
        "split",
        "parent",
        "licence",
        "homepage",
        "installed",
        "notes",
    ):
        if info.get(key) not in (None, ""):
            lines.append(f"  {key + ':':<10} {info[key]}")
    copy = info.get("builtin_copy")
    if copy:
        use = (
            "not used: the catalogued files are installed"
            if all(f["installed"] for f in info["files"])
            else "used until the catalogued files are fetched or imported"
        )
        lines.append(
            f"  {'built-in:':<10} gensim's test data: {copy['path'] or 'gensim not installed'} "
            f"({copy['datapath']}); {use}"
        )
    lines.append("  files:")
    for file in info["files"]:
        state = "installed" if file["installed"] else "missing"
        lines.append(f"    {file['path']}  sha256 {file['sha256'][:16]}…  {state}")
    lines += ["", info["citation"]]
    return "\n".join(lines)


def _cite(args) -> str:
    from .. import goldsets

    return goldsets.cite(args.names)


def _fetch(args) -> str:
    from .. import goldsets
    from ..errors import W2VEvalError

    if not args.names and not args.all:
        raise W2VEvalError("name the gold sets to fetch, or pass --all")
    report = goldsets.fetch(None if args.all else args.names, progress=not args.no_progress)
    return (
        f"{len(report.downloaded)} file(s) downloaded, {len(report.present)} already installed; "
        f"complete: {', '.join(report.complete) or 'none'}"
    )


def _import(args) -> str:
    from .. import goldsets

    report = goldsets.import_dir(args.folder, progress=not args.no_progress)
    if args.format == "json":
        return to_json(report.to_dict())
    lines = [
        f"scanned {report.n_scanned} file(s) under {args.folder}: {len(report.installed)} installed, "
        f"{len(report.present)} already installed",
        f"complete ({len(report.complete)}): {', '.join(report.complete) or 'none'}",
    ]
    if report.missing:
        lines.append(f"still missing ({len(report.missing)}): {', '.join(sorted(report.missing))}")
    if report.unrecognised:
        lines.append(f"not recognised ({len(report.unrecognised)} file(s) matching no catalogued file):")
        lines += [f"  {path}" for path in report.unrecognised]
    if report.skipped:
        lines.append(f"skipped ({len(report.skipped)}):")
        lines += [f"  {path}: {why}" for path, why in report.skipped]
    return "\n".join(lines)


def _template(args) -> str:
    from .. import goldsets
    from ..goldsets._template import write_template

    rows = goldsets.template(args.source, n=args.n, seed=args.seed, progress=not args.no_progress)
    if args.output:
        write_template(rows, args.output, overwrite=args.overwrite)
        return f"wrote {len(rows)} candidate pairs to {args.output}"
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().rstrip("\n")


def _validate(args) -> str:
    from .. import goldsets
    from ..scoring._evaluate import with_file_options

    options = goldset_file_options(args)
    target = args.path
    if options:  # every row kept: validate reports repeated pairs itself
        target = with_file_options([args.path], {**options, "duplicates": "keep"})[0]
    report = goldsets.validate(
        target,
        vocabulary=args.vectors,
        strict=args.strict,
        scale=tuple(args.scale) if args.scale else None,
        progress=not args.no_progress,
    )
    return to_json(report.to_dict()) if args.format == "json" else report.to_text()


def _agreement(args) -> str:
    from .. import goldsets

    report = goldsets.agreement(
        args.path,
        anonymous=args.anonymous,
        columns=args.columns,
        header=args.header,
        min_overlap=args.min_overlap,
    )
    return to_json(report.to_dict()) if args.format == "json" else report.to_text()
