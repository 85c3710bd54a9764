"""What a call gave: its value or its error, for tests in which either outcome is valid."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def value_or_error(
    call: Callable[..., Any], *args: Any, catching: type[Exception], **kwargs: Any
) -> tuple[Any, Exception | None]:
    """``(call(*args, **kwargs), None)``, or ``(None, error)`` when the call raises ``catching``.

    Any other exception propagates. The test then checks the error outside an ``except``
    block, so a failed check reads as a failed check, not as a second exception.
    """
    try:
        return call(*args, **kwargs), None
    except catching as error:
        return None, error
