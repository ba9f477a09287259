"""The mtcheck command line: parse, call the library, render, map errors to exit codes.

This module is the console-script entry point and stays light on purpose: ``main`` takes over
SIGINT and SIGTERM before the heavy imports (typer, rich, torch), so that an interruption at any
moment ends the run with one line and exit code 130 (143 for SIGTERM), never a traceback. The
commands live in :mod:`mtcheck.cli.app`.

Exit codes: 0 ok, 1 gate failed, 2 bad input or usage, 3 internal error (a bug: please report),
4 a report could not be written, 130/143 interrupted.
"""

from __future__ import annotations

import builtins
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_OUTPUT = 4
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143

# Set by the signal handler and never cleared: some libraries swallow KeyboardInterrupt in a
# bare ``except:`` (langdetect did), so before any report is written the CLI asks this instead
# of trusting that the exception reached it.
_signalled: dict[str, int] = {}
_signal_lock = threading.Lock()


class Interrupted(Exception):
    """The run was interrupted by a signal; carries the exit code to use and what to tell the
    user (by default that nothing was written)."""

    def __init__(self, exit_code: int = EXIT_INTERRUPTED, message: str = "interrupted; no report was written") -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.message = message


def interruption() -> Interrupted | None:
    """An Interrupted to raise if SIGINT or SIGTERM arrived during this run, else None."""
    with _signal_lock:
        code = _signalled.get("code")
    return None if code is None else Interrupted(code)


def _on_signal(signum: int, _frame: object) -> None:
    with _signal_lock:
        _signalled.setdefault("code", EXIT_TERMINATED if signum == signal.SIGTERM else EXIT_INTERRUPTED)
    if _signals_held["depth"] == 0:
        raise KeyboardInterrupt
    # inside a held block (a native library's import, a pair's report writing): raised at its end
    # (see interrupts_held)


#: Top-level packages whose import runs C++ that calls back into Python (pybind11): an exception
#: raised by the signal handler there cannot be caught, and the process aborts with
#: "terminate called after throwing an instance of 'pybind11::error_already_set'" (seen with
#: torch.distributed). An interrupt during their import waits until the import is done.
_NATIVE_PACKAGES = frozenset({"torch", "transformers", "sentence_transformers", "onnxruntime", "tokenizers"})
#: How many blocks are running that hold SIGINT and SIGTERM (the handler records them and the
#: outermost block raises at its end): a native package's import, a pair's report writing, the
#: interpreter's shutdown after a finished run.
_signals_held = {"depth": 0}


def _guarded_import(original):
    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name.partition(".")[0] not in _NATIVE_PACKAGES or name in sys.modules:
            return original(name, globals, locals, fromlist, level)
        with interrupts_held():  # an interrupt that arrives during the import is raised after it
            return original(name, globals, locals, fromlist, level)

    return guarded


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the block runs (the handler records them) and raise the
    interrupt at its end, so that what the block does (write a pair's reports and count the pair
    finished) is done whole or, if the interrupt came first, not at all."""
    _signals_held["depth"] += 1
    try:
        yield
    finally:
        _signals_held["depth"] -= 1
        if _signals_held["depth"] == 0 and interruption() is not None:
            raise KeyboardInterrupt


def _redeliver_interrupt(unraisable: sys.UnraisableHookArgs) -> None:
    """A KeyboardInterrupt raised inside a finalizer (``__del__``) cannot propagate: Python prints
    "Exception ignored in ..." with a traceback and carries on. Say nothing and send the signal
    again a moment later, from another thread, so that it lands once the finalizer (and this
    hook) have returned, wakes a blocking call, and ends the run as any other interrupt does."""
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        later = threading.Timer(0.01, os.kill, (os.getpid(), signal.SIGINT))
        later.daemon = True
        later.start()
        return
    sys.__unraisablehook__(unraisable)


def _say(message: str) -> None:
    """One line on standard error, even if Python's stream objects are in a bad state."""
    with contextlib.suppress(OSError):
        os.write(2, f"mtcheck: {message}\n".encode("utf-8", "backslashreplace"))


def main() -> None:
    """Console-script entry point: no traceback reaches the user."""
    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    sys.unraisablehook = _redeliver_interrupt
    builtins.__import__ = _guarded_import(builtins.__import__)
    try:
        from .app import run

        code = run(sys.argv[1:])
        # The run is over and its reports are whole: an interrupt from here on (while the
        # interpreter shuts down) must not kill the process without a word (exit -2).
        _signals_held["depth"] += 1
    except (KeyboardInterrupt, Interrupted) as exc:
        stopped = exc if isinstance(exc, Interrupted) else (interruption() or Interrupted())
        code = stopped.exit_code
        _say(stopped.message)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else EXIT_INTERNAL
    except Exception as exc:
        if os.environ.get("MTCHECK_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (please report this; MTCHECK_DEBUG=1 shows the traceback)")
        code = EXIT_INTERNAL
    _flush_quietly()
    sys.exit(code)


def _flush_quietly() -> None:
    """Flush standard output now, so that a full or closed pipe is not a traceback at exit."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        # Point stdout at /dev/null: the interpreter flushes it once more on the way out.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
