"""Reports on word vectors and tuning results: HTML, Markdown and PNG figures.

``build_report(inputs, goldsets)`` gathers the numbers (leaderboard with confidence
intervals, the pairwise significance matrix, human score against cosine similarity per
gold set, nearest neighbours of probe words, coverage, tuning results with their Pareto
fronts and costs) as DataFrames in
a :class:`Report`, which renders them with ``to_html()``, ``to_markdown()`` and
``write_plots(dir)``. Figures need matplotlib: ``pip install 'w2veval[plot]'``.
"""

from ._errors import ReportInputError, ReportOutputError, ReportSourceError
from ._inputs import read_results
from ._report import DEFAULT_PROBES, Report, build_report
from ._tables import TuningTable

__all__ = [
    "DEFAULT_PROBES",
    "Report",
    "ReportInputError",
    "ReportOutputError",
    "ReportSourceError",
    "TuningTable",
    "build_report",
    "read_results",
]
