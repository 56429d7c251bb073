"""Each metric file, and each metric's worked example.

A metric's ids are unique, its id equals its file name, its owner is a known role, its
``related`` metrics exist, are listed once and do not include itself, and its bands are
contiguous. Each worked example names a calculator, runs through :func:`calculators.run` on
the library's configuration with valid inputs, and ``show`` lists outputs the calculator
produces.
"""

from __future__ import annotations

import calculators
from cslibrary import model as m

from ..yaml_reader import clip, quote
from .report import Known, Report, RoleCheck, contiguous, id_is_file_name, no_repeats, ref_other, unique_ids


def check_metric(report: Report, rel: str, mid: str, metric: m.Metric, known: Known, role: RoleCheck) -> None:
    """One metric file (see the module docstring)."""
    unique_ids(report, rel, metric)
    id_is_file_name(report, rel, mid)
    role(rel, ("owner",), metric.owner)
    no_repeats(report, rel, ("related",), metric.related)
    for i, other in enumerate(metric.related):
        ref_other(report, rel, ("related", i), other, mid, known["metrics"], "metric")
    contiguous(report, rel, ("bands",), metric.bands, "min", "max", "band")


def check_examples(report: Report, lib: m.Library) -> None:
    """Each metric's worked example runs on the library's configuration and shows outputs its calculator produces."""
    from ..calculator_config import config_from_model

    config = config_from_model(lib)
    for mid, metric in lib.metrics.items():
        rel, ex = lib.metric_paths[mid], metric.example
        if ex is None:
            continue
        if ex.calculator not in calculators.CALCULATORS:
            report.ref(rel, ("example", "calculator"), ex.calculator, calculators.CALCULATORS, "calculator")
            continue
        try:
            result = calculators.run(ex.calculator, ex.inputs, config)
        except calculators.InputError as err:
            path = tuple(int(p) if p.isdigit() else p for p in err.field.replace("[", ".").replace("]", "").split(".") if p)
            report(rel, ("example", "inputs", *path), f"the worked example's input {quote(err.field)} is invalid: {clip(err.rule, 200)}")
            continue
        except Exception as err:  # a calculator bug must still not become a traceback
            report(rel, ("example",), f"the {ex.calculator!r} calculator failed on this example: {type(err).__name__}: {clip(err, 200)}")
            continue
        for i, key in enumerate(ex.show):
            report.ref(rel, ("example", "show", i), key, result, f"output of {ex.calculator!r}")
