"""The command that reruns one check of a run: its subject, its cell, its check, nothing else.

Built from the run's own command (``RunInfo.command``, ``python -m harness ...`` or
``pytest ...``): the options that choose the target are kept (``--env-file``, ``--issuer``,
``--in-process``), the subject is the result's own file (``RunInfo.subjects``), and
``--cells`` and ``--checks`` name the one cell and check. ``--keep-issuer`` keeps the issuer
and the API running after it, so the report's curl lines can be tried by hand.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from harness.model.results import CheckResult, RunInfo
from harness.report.summary import SAMPLES

# Options of the run's command kept in the rerun, with whether each takes a value.
KEPT = {"--env-file": True, "--issuer": True, "--in-process": False}


def rerun_command(info: RunInfo, result: CheckResult, cells: Sequence[int] = ()) -> str:
    """``python -m harness [target options] [--subject FILE] --cells N --checks ID`` (the
    result's cell, or ``cells``)."""
    words = ["python", "-m", "harness", *_target_options(info.command)]
    subject = info.subject(result.subject)
    if subject is not None and not _is_default_sample(info, subject.name):
        words += ["--subject", subject.file]
    chosen = ",".join(str(n) for n in (cells or (result.cell,)))
    words += ["--cells", chosen, "--checks", result.check_id]
    return shlex.join(words)


def _target_options(command: str) -> list[str]:
    try:
        words = shlex.split(command)
    except ValueError:
        return []
    kept: list[str] = []
    for n, word in enumerate(words):
        name, equals, value = word.partition("=")
        if name not in KEPT:
            continue
        if not KEPT[name]:
            kept.append(name)
        elif equals:
            kept += [name, value]
        elif n + 1 < len(words):
            kept += [name, words[n + 1]]
    return kept


def _is_default_sample(info: RunInfo, name: str) -> bool:
    """True for a sample run as the default (no --subject in the command): it needs none."""
    return "--subject" not in info.command and name in SAMPLES
