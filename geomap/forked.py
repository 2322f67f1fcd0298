"""One piece of work handed to a forked process while this one goes on with another.

The child inherits what the work needs through the fork (an atlas, a parsed file: nothing is
pickled on the way in) and sends back only its small result. Where a fork is not safe, nothing is
started and the caller does the work itself: no fork on the system, a daemonic process (which may
have no children), or other threads running (a child may inherit a lock one of them holds and wait
for ever; the same rule as the document workers of ``pipeline``).

The child ends with its work, and dies with its parent: it holds copies of the parent's files,
the output folder's lock among them, and a build killed half-way must not leave a child holding
that lock behind it.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
            and threading.active_count() == 1)


@dataclass
class Elsewhere(Generic[T]):
    process: multiprocessing.Process
    receiver: object  # the read end of the pipe the child answers on

    def result(self, here: Callable[[], T]) -> T:
        """The child's result; if the child died or failed otherwise than on the disk, the work done
        here by ``here`` (a disk error is the caller's to report, as if here)."""
        try:
            done, value = self.receiver.recv()
        except (EOFError, OSError):  # the child died without answering (memory, a signal)
            done, value = False, None
        finally:
            self.receiver.close()
            self.process.join()
        if done:
            return value
        if isinstance(value, OSError):
            raise value
        return here()

    def cancel(self) -> None:
        """Stop the child at once (the caller is giving up: an interrupt, an error)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.receiver.close()


def start(task: Callable[[], T]) -> Elsewhere[T] | None:
    """``task`` started in a forked process, or None where that is not safe."""
    if not can_fork():
        return None
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    # with "fork", the task is the child's copy, not pickled
    process = context.Process(target=_child, args=(task, sender, os.getpid()), daemon=True)
    process.start()
    sender.close()
    return Elsewhere(process, receiver)


def _child(task: Callable[[], object], sender, parent: int) -> None:
    _die_with(parent)
    try:
        answer = (True, task())
    except BaseException as error:  # sent back, to be raised or worked around there
        answer = (False, error)
    try:
        sender.send(answer)
    except Exception:  # an answer that cannot be pickled: the parent does the work itself
        sender.send((False, None))
    sender.close()


def _die_with(parent: int) -> None:
    try:  # Linux: the kernel kills this process when its parent dies
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before that was set
        os._exit(1)
