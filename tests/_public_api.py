"""The public modules of w2veval, as the API reference and the annotation check see them."""

import pkgutil

import w2veval


def public_modules() -> list[str]:
    """``w2veval`` and every module under it with no ``_private`` part in its name."""
    found = [m.name for m in pkgutil.walk_packages(w2veval.__path__, prefix="w2veval.")]
    public = [name for name in found if not any(part.startswith("_") for part in name.split("."))]
    return ["w2veval", *sorted(public)]
