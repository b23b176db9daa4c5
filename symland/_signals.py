"""What the SIGALRM deadlines (:mod:`symland.tiers.budget`, :func:`symland.sigma.kinks.time_limit`) share."""

from __future__ import annotations

import _weakrefset
import gc
import weakref

__all__ = ["in_gc_callback"]

#: the weakref machinery's own files: WeakKeyDictionary's and WeakValueDictionary's ``remove``, WeakSet's
#: ``_remove``, ``finalize.__call__`` run as callbacks of the collector
_WEAKREF_FILES = frozenset({weakref.__file__, _weakrefset.__file__})
_DEPTH = 4  # frames looked at: the interrupted one and the ones that called it


def in_gc_callback(frame) -> bool:
    """Whether the interrupted `frame` runs inside code that the garbage collector calls — a ``gc.callbacks``
    function (a profiler's, hypothesis's), a ``__del__`` method, a weakref callback of the weakref machinery
    (a WeakKeyDictionary dropping a dead key, ``weakref.finalize``) — or is called from one (a few frames up).
    An exception raised there is swallowed by Python ("Exception ignored in …"), so an expiry must not be raised
    there but a moment later, in the code it is meant to stop. A frame of weakref.py met in ordinary code only
    delays the expiry by that moment."""
    codes = {getattr(cb, "__code__", None) for cb in gc.callbacks}
    for _ in range(_DEPTH):
        if frame is None:
            return False
        code = frame.f_code
        if code in codes or code.co_name == "__del__" or code.co_filename in _WEAKREF_FILES:
            return True
        frame = getattr(frame, "f_back", None)
    return False
