"""How every ``symland`` command is bounded and how it ends: one place for the CLI's guards.

* a deadline (``--timeout``, default :data:`symland.budget.DEFAULT_TIMEOUT` seconds) and an address-space limit
  (:data:`symland.budget.MEMORY_LIMIT`): past either, one line on stderr and exit 1 — the command could not
  decide, it was not given bad input; ``verify`` bounds its own steps and reports unfinished checks
  ``inconclusive``;
* bad input (:class:`~symland.errors.SymlandError`): one line ``symland: error: …`` and exit 2;
* exact integers of any size print whole (Python's 4,300-digit limit lifted for the run; the inputs are bounded
  by file size, the deadline and the memory limit), and tables shorten them (:func:`abbreviated`);
* output piped into ``head``: a broken pipe ends the run quietly;
* any other exception (numpy's LinAlgError, flint, sympy, msolve, …): one line naming its type and exit 1 — the
  command decided nothing (``SYMLAND_DEBUG=1`` re-raises it, for a bug report).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from symland.budget import MEMORY_LIMIT, DeadlineExpired, deadline, memory_limit
from symland.errors import InputError, SymlandError

from proofs_check.certificate import abbreviate_numbers, any_size_ints

__all__ = ["guarded", "abbreviated", "plot_dir"]


def guarded(command: str, timeout: float, handler: Callable[[], int], *, own_deadline: bool = False) -> int:
    """Run ``handler()`` under the guards above and return the exit status.

    ``own_deadline``: the handler applies ``timeout`` itself (``verify``: unfinished checks become rows).
    """
    try:
        with any_size_ints(), memory_limit():
            if own_deadline:
                return handler()
            with deadline(timeout):
                return handler()
    except SymlandError as exc:
        print(f"symland: error: {exc}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"symland: {command}: stopped, out of memory (the limit is {MEMORY_LIMIT / 2**30:g} GB)",
              file=sys.stderr)
        return 1
    except DeadlineExpired:
        print(f"symland: {command}: stopped, not finished within the --timeout of {timeout:g} s", file=sys.stderr)
        return 1
    except BrokenPipeError:  # output piped into `head`: stop quietly
        _silence_stdout()
        return 1
    except RecursionError:
        print(f"symland: {command}: stopped, the input is nested too deeply to process", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 -- numpy, flint, sympy, msolve, …: one line and exit 1, never a traceback
        if os.environ.get("SYMLAND_DEBUG"):
            raise
        print(f"symland: {command}: stopped by an internal error, nothing was decided ({one_line(exc)}); "
              "please report it (SYMLAND_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 1


def one_line(exc: BaseException, limit: int = 300) -> str:
    """``Type: message`` on one line, at most ``limit`` characters."""
    text = " ".join(str(exc).split())
    text = f"{type(exc).__module__.split('.')[0] + '.' if type(exc).__module__ not in ('builtins',) else ''}" \
           f"{type(exc).__name__}" + (f": {text}" if text else "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so that flushing at exit raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover - stdout without a descriptor
        pass


def abbreviated(obj):
    """Text output: integers of more than 40 digits shortened in every string of ``obj`` (JSON prints them whole)."""
    if isinstance(obj, str):
        return abbreviate_numbers(obj)
    if isinstance(obj, dict):
        return {k: abbreviated(v) for k, v in obj.items()}
    return [abbreviated(v) for v in obj] if isinstance(obj, list) else obj


def plot_dir(path: str) -> None:
    """Create ``--plot DIR`` before any work, or say in one line why it cannot be used."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(f"--plot {path}: exists and is not a directory") from None
    except OSError as exc:
        raise InputError(f"--plot {path}: cannot create the directory ({exc.strerror or exc})") from None
