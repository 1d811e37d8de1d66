"""`make bench`: every benchmark script in this folder, one after the other."""

from __future__ import annotations

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ["validate_bench.py", "audit_bench.py", "render_bench.py", "limits_bench.py",
           "bpmn_crossings_bench.py"]

if __name__ == "__main__":
    failed = 0
    for script in SCRIPTS:
        path = os.path.join(HERE, script)
        if not os.path.exists(path):
            continue
        print(f"\n== {script}", flush=True)
        failed |= subprocess.run([sys.executable, path]).returncode
    sys.exit(failed)
