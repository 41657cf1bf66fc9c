"""A forked worker that dies with the process that forked it: told by the kernel
(`PR_SET_PDEATHSIG`) rather than left to notice, since its owner may die by SIGKILL and say nothing.
Linux only."""

from __future__ import annotations

import ctypes
import os
import signal

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def on_parent_death(signum: int) -> None:
    """Have the kernel send `signum` to this process when its parent dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")


def die_with(owner: int, own_group: bool = True) -> None:
    """In a new worker of `owner`: its own process group (out of reach of the terminal's Ctrl-C,
    which its owner answers for it), killed when its owner dies. The kernel watches the thread
    that forked the worker: a worker is forked by the thread that waits for it."""
    if own_group:
        os.setpgid(0, 0)
    on_parent_death(signal.SIGKILL)
    if os.getppid() != owner:  # the owner died before the kernel was told
        os._exit(1)


def process_alive(pid: int) -> bool:
    """Whether a process of that pid exists (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
