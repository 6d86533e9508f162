"""A value derived from the served index generation, rebuilt when the generation changes without making its
readers wait: one caller builds the new value while every other keeps using the last one."""

from __future__ import annotations

import threading
from typing import Callable, Generic, Hashable, TypeVar

T = TypeVar("T")


class Latest(Generic[T]):
    """Holds (version, value); `get` returns the value for the current version, building it at most once per
    version and only ever blocking a caller when no earlier value exists."""

    def __init__(self):
        self._held: tuple[Hashable, T] | None = None
        self._building = threading.Lock()

    def get(self, version: Hashable, build: Callable[[], T]) -> T:
        """The value for `version`; while another caller builds it, the previous version's value."""
        held = self._held
        if held is not None and held[0] == version:
            return held[1]
        if held is not None and not self._building.acquire(blocking=False):
            return held[1]  # being rebuilt: the last value still answers correctly for its own version
        if held is None:
            self._building.acquire()
        try:
            held = self._held
            if held is None or held[0] != version:
                held = (version, build())
                self._held = held
            return held[1]
        finally:
            self._building.release()

    def peek(self) -> T | None:
        """The value held now (None before the first build)."""
        held = self._held
        return held[1] if held is not None else None
