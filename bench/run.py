"""`make bench`: run every bench/bench_*.py in turn; each prints its own figures.

Pass names to run only some: `make bench BENCH_ARGS="pages related"`.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv):
    wanted = set(argv)
    scripts = sorted(HERE.glob("bench_*.py"))
    if wanted:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in wanted]
    failed = []
    for script in scripts:
        print(f"\n===== {script.stem} =====", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent)
        print(
            f"----- {script.stem}: {'ok' if result.returncode == 0 else 'FAILED'} in {time.monotonic() - started:.0f}s",
            flush=True,
        )
        if result.returncode:
            failed.append(script.stem)
    if failed:
        print(f"\nBenchmarks that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
