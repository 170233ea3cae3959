"""Plugin discovery: built-ins are found by walking a package, third parties come in
through entry points. Nothing is a hand-kept list."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from importlib.metadata import entry_points
from typing import TypeVar

T = TypeVar("T")


def discover(package: str, base: type[T], group: str | None = None) -> list[type[T]]:
    """Concrete subclasses of ``base`` with a non-empty ``id``, defined in the modules of
    ``package`` (one level) and in entry points of ``group``; sorted by id."""
    found: dict[str, type[T]] = {}
    pkg = importlib.import_module(package)
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if obj.__module__ == module.__name__ and _is_plugin(obj, base):
                _add(found, obj)
    if group:
        for ep in entry_points(group=group):
            obj = ep.load()
            if _is_plugin(obj, base):
                _add(found, obj)
    return [found[k] for k in sorted(found)]


def _is_plugin(obj: object, base: type) -> bool:
    return (
        inspect.isclass(obj)
        and issubclass(obj, base)
        and not inspect.isabstract(obj)
        and bool(getattr(obj, "id", ""))
    )


def _add(found: dict, obj: type) -> None:
    if obj.id in found and found[obj.id] is not obj:
        raise RuntimeError(f"two plugins share the id {obj.id!r}: {found[obj.id]} and {obj}")
    found[obj.id] = obj
