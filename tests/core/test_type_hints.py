"""Types at the boundaries: every function of a service or API module is annotated (make lint runs
mypy on them; this test names a missing annotation without needing mypy)."""

import importlib
import inspect
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def checked_modules():
    files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]["files"]
    for entry in files:
        path = ROOT / entry
        for file in sorted(path.glob("*.py")) if path.is_dir() else [path]:
            name = ".".join(file.relative_to(ROOT / "src").with_suffix("").parts)
            yield name.removesuffix(".__init__")


def functions_of(module):
    for _, obj in inspect.getmembers(module):
        if inspect.isfunction(obj) and obj.__module__ == module.__name__:
            yield obj
        elif inspect.isclass(obj) and obj.__module__ == module.__name__:
            for member in vars(obj).values():
                target = member.fget if isinstance(member, property) else member
                if inspect.isfunction(target):
                    yield target


def test_services_and_api_are_in_the_type_check():
    modules = set(checked_modules())
    assert {"broadsheet.comments.services", "broadsheet.api.views", "broadsheet.search.services"} <= modules


@pytest.mark.parametrize("module_name", list(checked_modules()))
def test_every_function_is_annotated(module_name):
    module = importlib.import_module(module_name)
    missing = []
    for function in functions_of(module):
        if function.__code__.co_filename != module.__file__:  # written by @dataclass, not by us
            continue
        signature = inspect.signature(function)
        params = [p for p in signature.parameters.values() if p.name not in ("self", "cls")]
        if function.__name__ != "__init__" and signature.return_annotation is inspect.Signature.empty:
            missing.append(f"{function.__qualname__} -> ?")
        missing += [
            f"{function.__qualname__}({p.name})" for p in params if p.annotation is inspect.Parameter.empty
        ]
    assert missing == []
