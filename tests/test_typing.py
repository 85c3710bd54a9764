"""The ``py.typed`` promise: every public function and method has a full signature.

"Public" is what a user reaches: the names in ``__all__`` of ``w2veval`` and of its public
sub-modules, and the public methods of the classes among them. mypy (``make lint``) checks
the bodies; this test checks that no public signature leaves a parameter or a return untyped.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from _public_api import public_modules

REPO = Path(__file__).resolve().parents[1]


def _callables(module_name: str) -> list[tuple[str, object]]:
    module = importlib.import_module(module_name)
    found = []
    for name in module.__all__:
        obj = getattr(module, name)
        qualified = f"{module_name}.{name}"
        if inspect.isclass(obj):
            for attr, member in vars(obj).items():
                if isinstance(member, (classmethod, staticmethod)):
                    member = member.__func__
                elif isinstance(member, property):
                    member = member.fget
                public = not attr.startswith("_") or attr in ("__init__", "__call__")
                # typing.Protocol puts its own __init__ on a protocol class: not ours to annotate.
                ours = getattr(member, "__module__", "").startswith("w2veval")
                if public and ours and inspect.isfunction(member):
                    found.append((f"{qualified}.{attr}", member))
        elif inspect.isfunction(obj):
            found.append((qualified, obj))
    return found


def _untyped(function: object) -> list[str]:
    """The parts of ``function``'s signature without an annotation."""
    signature = inspect.signature(function)  # type: ignore[arg-type]
    missing = [
        p.name
        for k, p in enumerate(signature.parameters.values())
        if p.annotation is inspect.Parameter.empty and not (k == 0 and p.name in ("self", "cls"))
    ]
    is_init = getattr(function, "__name__", "") == "__init__"
    if signature.return_annotation is inspect.Signature.empty and not is_init:
        missing.append("return")
    return missing


def test_every_public_module_declares_all():
    missing = [m for m in public_modules() if not hasattr(importlib.import_module(m), "__all__")]
    assert missing == []


@pytest.mark.parametrize("module_name", public_modules())
def test_public_functions_and_methods_are_fully_annotated(module_name):
    found = _callables(module_name)
    untyped = {name: parts for name, function in found if (parts := _untyped(function))}
    assert untyped == {}, f"{len(untyped)} of {len(found)} public callables lack annotations: {untyped}"


def test_the_package_ships_its_py_typed_marker():
    assert (REPO / "w2veval" / "py.typed").is_file()
    assert '"py.typed"' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
