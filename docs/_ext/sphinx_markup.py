"""A Griffe extension: the Sphinx markup of w2veval's docstrings, made Markdown for the site.

The docstrings are numpydoc, read in the terminal and by ``help()`` as much as on the site, so
they keep Sphinx's roles (``:func:`evaluate```, ``:class:`~w2veval.goldsets.GoldSet```).
Markdown would show those as ``:func:`` followed by code. This extension resolves each role's
name in the docstring's own scope, the way Python would, and rewrites it as:

- a cross-reference (``[`evaluate`][w2veval.scoring._evaluate.evaluate]``) when the site
  documents the object, i.e. it is in the ``__all__`` of a public module or a member of such an
  object; mkdocs-autorefs links it to that page;
- code when the object exists but is private (``_numbers.parse_number``): the site documents
  the public API only;
- a cross-reference all the same when the name leads to nothing in w2veval, so that the strict
  build fails on it instead of publishing a dead reference.

In free text (the description, and the sections Griffe does not parse, such as *Notes*), a
doctest becomes a ``pycon`` code block (Markdown would read its ``>>>`` as nested quotes), and a
definition list (a term, its text indented below it) becomes Markdown's.

A paragraph ending in ``::`` (reStructuredText's "a literal block follows") ends in ``:``, as
Sphinx shows it; the indented block after it is a code block in Markdown too.

A builtin (``ValueError``, ``str.casefold``) or a dotted name outside w2veval (``numpy.ndarray``)
stays code: the build downloads no other project's inventory. An explicit title
(``:meth:`tokens <w2veval.goldsets.TextTask.tokens>```) is shown in place of the name.
"""

from __future__ import annotations

import builtins
import functools
import re

import griffe

# :func:`name`, :meth:`~pkg.Class.method`, :py:class:`name` ...
_ROLE = re.compile(
    r":(?:py:)?(?:func|meth|class|exc|attr|data|mod|obj|const):`"
    r"(?:(?P<title>[^`<]+?)\s*<(?P<titled>[^`>]+)>|(?P<tilde>~?)(?P<target>[^`]+))`"
)
_LITERAL_BLOCK_MARKER = re.compile(r"(?<=\S)::(?=\n[ \t]*\n)")
_SECTION_UNDERLINE = re.compile(r"[ \t]*-{3,}[ \t]*")
# The numpydoc sections Griffe parses (griffe/_internal/docstrings/numpy.py); the others it
# shows as written, as an admonition.
_PARSED_SECTIONS = {
    *("deprecated", "parameters", "other parameters", "type parameters", "returns", "yields"),
    *("receives", "raises", "warns", "examples", "attributes", "functions", "methods"),
    *("classes", "type aliases", "modules"),
}
_LIST_ITEM = re.compile(r"([-*+]|\d+[.)])\s")
_PACKAGE = "w2veval"


def _is_private_path(path: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in path.split("."))


def _target(member: griffe.Object | griffe.Alias) -> griffe.Object:
    return member.final_target if isinstance(member, griffe.Alias) else member


def _own_members(obj: griffe.Object) -> list[griffe.Object]:
    """The members defined in ``obj`` itself: an imported name (an alias) is walked where it is defined."""
    return [member for member in obj.members.values() if isinstance(member, griffe.Object)]


def _free_text_markdown(text: str) -> str:
    """``text`` with the reStructuredText of its free text made Markdown.

    Free text is the description and the sections Griffe shows as written (*Notes*, *Options*,
    *See Also*...); the sections it parses itself (*Parameters*, *Examples*...) are left alone.
    """
    lines = text.split("\n")
    converted: list[str] = []
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() and i + 1 < len(lines) and _SECTION_UNDERLINE.fullmatch(lines[i + 1]):
            section = line.strip().lower()
            converted += lines[i : i + 2]
            i += 2
        elif section in _PARSED_SECTIONS:
            converted.append(line)
            i += 1
        elif line.lstrip().startswith(">>>"):
            i = _fence_doctest(lines, i, converted)
        elif _is_definition_term(lines, i):
            i = _definition(lines, i, converted)
        else:
            converted.append(line)
            i += 1
    return "\n".join(converted)


def _fence_doctest(lines: list[str], start: int, converted: list[str]) -> int:
    """A doctest as a ``pycon`` code block (Markdown would read ``>>>`` as nested quotes)."""
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    end = start
    while end < len(lines) and lines[end].strip():  # a doctest ends at the first blank line
        end += 1
    converted += [f"{indent}```pycon", *lines[start:end], f"{indent}```"]
    return end


def _is_definition_term(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is the term of a reStructuredText definition list item.

    It is, as in reStructuredText: an unindented line right followed by an indented one. A list
    item (``-``, ``*``, ``1.``) with its indented continuation is not.
    """
    line = lines[i]
    if not line.strip() or line[0].isspace() or _LIST_ITEM.match(line) or i + 1 == len(lines):
        return False
    following = lines[i + 1]
    return bool(following.strip()) and following[0].isspace()


def _escaped_braces(line: str) -> str:
    """``line`` with its braces outside code escaped: ``oov : {"drop", "zero"}`` is not attributes."""
    parts = line.split("`")
    parts[::2] = [part.replace("{", "\\{").replace("}", "\\}") for part in parts[::2]]
    return "`".join(parts)


def _definition(lines: list[str], term: int, converted: list[str]) -> int:
    """A definition list item as Markdown's (``def_list``): the term, then ``:   `` and the text."""
    body = term + 1
    while body < len(lines) and (not lines[body].strip() or lines[body][0].isspace()):
        body += 1
    while not lines[body - 1].strip():  # blank lines after the item belong to the text around it
        body -= 1
    definition = lines[term + 1 : body]
    indent = min(len(line) - len(line.lstrip()) for line in definition if line.strip())
    first, *rest = (line[indent:] for line in definition)
    converted += [
        _escaped_braces(lines[term]),
        f":   {first}",
        *(f"    {line}" if line else "" for line in rest),
    ]
    if body < len(lines) and lines[body].strip():
        converted.append("")  # Markdown reads a term right after a definition as more of its text
    return body


def _documented_paths(package: griffe.Module) -> set[str]:
    """Canonical paths of everything the API pages render: public modules' exports and their members."""
    documented: set[str] = set()
    modules = [package]
    while modules:
        module = modules.pop()
        modules.extend(m for m in module.modules.values() if not _is_private_path(m.name))
        documented.add(module.path)
        for export in module.exports or ():
            member = module.members.get(export if isinstance(export, str) else export.name)
            if member is not None:
                _add_with_members(_target(member), documented)
    return documented


def _add_with_members(obj: griffe.Object, documented: set[str]) -> None:
    documented.add(obj.path)
    if obj.is_class:
        for member in _own_members(obj):
            if not _is_private_path(member.name):
                _add_with_members(member, documented)


def _resolved_path(obj: griffe.Object, target: str) -> str | None:
    """The full path ``target`` names from ``obj``'s docstring, or None when outside w2veval.

    A bare name found nowhere (not in scope, not a builtin) is returned as written, so that the
    cross-reference made of it fails the build.
    """
    if target.startswith("."):
        # Relative as in an import statement: one dot is the package the module belongs to.
        package: griffe.Module | griffe.Class | None = (
            obj.module if obj.module.is_init_module else obj.module.parent
        )
        for _ in range(len(target) - len(target.lstrip(".")) - 1):
            package = package.parent if package is not None else None
        return f"{package.path}.{target.lstrip('.')}" if package is not None else None
    if target == _PACKAGE or target.startswith(f"{_PACKAGE}."):
        return target
    head, _, rest = target.partition(".")
    try:
        path = obj.resolve(head)
    except griffe.NameResolutionError:
        return None if rest or hasattr(builtins, head) else target
    if not (path == _PACKAGE or path.startswith(f"{_PACKAGE}.")):
        return None
    return f"{path}.{rest}" if rest else path


class SphinxMarkup(griffe.Extension):
    """Rewrite the Sphinx markup of every docstring of the package once it is loaded."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: object) -> None:
        """Rewrite the docstrings of the package's own objects, modules, classes and functions alike."""
        self._objects = loader.modules_collection
        self._documented = _documented_paths(pkg)
        pending: list[griffe.Object] = [pkg]
        while pending:
            obj = pending.pop()
            if obj.docstring is not None:
                text = _free_text_markdown(_LITERAL_BLOCK_MARKER.sub(":", obj.docstring.value))
                obj.docstring.value = _ROLE.sub(functools.partial(self._reference, obj), text)
            pending.extend(_own_members(obj))

    def _reference(self, obj: griffe.Object, match: re.Match[str]) -> str:
        """The Markdown of one role of ``obj``'s docstring: a cross-reference or code."""
        if match["titled"]:
            target, shown = match["titled"].strip(), match["title"]
        else:
            target = match["target"]
            shown = target.rsplit(".", 1)[-1] if match["tilde"] else target.lstrip(".")
        path = _resolved_path(obj, target.removesuffix("()"))
        if path is None:
            return f"`{shown}`"
        try:
            found = self._objects[path]
        except KeyError:
            return f"[`{shown}`][{path}]"  # leads nowhere: autorefs fails the strict build on it
        canonical = _target(found).path
        return f"[`{shown}`][{canonical}]" if canonical in self._documented else f"`{shown}`"
