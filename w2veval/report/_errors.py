"""The errors of a report's inputs and outputs, and who writes the results files it reads."""

from __future__ import annotations

from ..errors import OutputError, W2VEvalError, spelled

__all__ = ["ReportInputError", "ReportOutputError", "ReportSourceError", "writers"]


def writers() -> str:
    """Who writes results files, as the reader calls them: commands, or functions and ``to_csv``."""
    return spelled(
        "`w2veval tune results --format csv|json` or `w2veval sagemaker results --format csv|json`",
        "`w2veval.tune.results(...)` or `w2veval.sagemaker.tuning_results(...)`, saved with "
        "`.to_csv(path, index=False)`",
    )


class ReportInputError(W2VEvalError, ValueError):
    """A report INPUT that is not what it claims to be: a malformed results file, a missing column."""


class ReportSourceError(W2VEvalError, OSError):
    """A report INPUT that cannot be found or read."""


class ReportOutputError(OutputError):
    """A report or figure file that cannot be written."""
