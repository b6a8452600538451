"""`make run` installs what the site needs and nothing more; `make test` adds the test tools."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")


def planned(target):
    """The commands `make` would run for `target` from scratch (-B: as on a new machine; -n: dry)."""
    return subprocess.run(["make", "-B", "-n", target], cwd=ROOT, capture_output=True, text=True).stdout


def test_make_run_does_not_install_the_test_tools():
    plan = planned("run")
    assert "pip install" in plan and "-e ." in plan
    assert "[test]" not in plan


def test_make_test_installs_the_test_tools():
    assert '-e ".[test]"' in planned("test")
