"""Speed targets of the README, measured side by side in one run (never a unit test).

    python benchmarks/run.py [--repeat 5] [--strict]

Targets:
  * `kata list` within 2x a bare `python -c "import typer, rich.console"`;
  * `kata check softmax` no slower than a plain pytest file checking the same attempt on
    100 random inputs;
  * `kata check gqa` no slower than a plain pytest file checking it on 50 random cases;
  * `kata list/show/start/hint/reveal` import neither numpy nor torch, and `kata check` of a
    numpy kata imports no torch (reported from the child's module list).
Each command runs --repeat times; the median wall time is compared. --strict exits 1 when
a target is missed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable

SOFTMAX_PYTEST = '''
import importlib.util
import numpy as np
import pytest

spec = importlib.util.spec_from_file_location("attempt", {attempt!r})
attempt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(attempt)


def reference(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("seed", range(100))
def test_softmax(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=tuple(rng.integers(1, 8, size=rng.integers(1, 4)))) * 3
    axis = int(rng.integers(-x.ndim, x.ndim))
    np.testing.assert_allclose(attempt.softmax(x.copy(), axis=axis), reference(x, axis), rtol=1e-6, atol=1e-9)
'''

GQA_PYTEST = '''
import importlib.util
import pytest
import torch
import torch.nn.functional as F

spec = importlib.util.spec_from_file_location("attempt", {attempt!r})
attempt = importlib.util.module_from_spec(spec)
spec.loader.exec_module(attempt)


@pytest.mark.parametrize("seed", range(50))
def test_gqa(seed):
    g = torch.Generator().manual_seed(seed)
    heads, kv = [(4, 2), (8, 2), (4, 4), (4, 1)][seed % 4]
    d, b, t = 8 * heads, 1 + seed % 3, 1 + seed % 7
    m = attempt.GroupedQueryAttention(d, heads, kv).double().eval()
    x = torch.randn(b, t, d, generator=g, dtype=torch.float64)
    hd = d // heads
    q = m.q_proj(x).view(b, t, heads, hd).transpose(1, 2)
    k = m.k_proj(x).view(b, t, kv, hd).transpose(1, 2).repeat_interleave(heads // kv, dim=1)
    v = m.v_proj(x).view(b, t, kv, hd).transpose(1, 2).repeat_interleave(heads // kv, dim=1)
    ref = m.o_proj(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(b, t, d))
    torch.testing.assert_close(m(x), ref)
'''


def timed(cmd: list[str], env: dict, repeat: int, cwd: Path | None = None) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        code = proc.returncode
    return statistics.median(times), code


def imports_of(args: list[str], env: dict) -> tuple[bool, bool]:
    code = ("import sys, runpy\nsys.argv = ['kata', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('harness', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print('MODULES', 'numpy' in sys.modules, 'torch' in sys.modules, file=sys.stderr)\n")
    out = subprocess.run([PY, "-c", code, *args], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    line = [l for l in out.stderr.splitlines() if l.startswith("MODULES")][-1].split()
    return line[1] == "True", line[2] == "True"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()

    rows, missed = [], []
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, KATA_HOME=str(tmp / "ws"), PYTHONPATH=str(REPO))
        kata = [PY, "-m", "harness"]

        base, _ = timed([PY, "-c", "import typer, rich.console"], env, args.repeat)
        listed, _ = timed(kata + ["list"], env, args.repeat)
        rows.append(("kata list", listed, "python -c 'import typer, rich.console'", base, 2.0))

        def versus_pytest(kata_name: str, template: str, baseline: str) -> None:
            """`kata check` of the reference against a plain pytest file checking the same file."""
            attempt = tmp / f"{kata_name}.py"
            attempt.write_text((REPO / "solutions" / f"{kata_name}.py").read_text())
            plain_file = tmp / f"test_{kata_name}_plain.py"
            plain_file.write_text(textwrap.dedent(template.format(attempt=str(attempt))))
            check, code = timed(kata + ["check", kata_name, "--file", str(attempt)], env, args.repeat)
            assert code == 0, "the reference should pass"
            plain, _ = timed([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(plain_file)], env, args.repeat,
                             cwd=tmp)
            rows.append((f"kata check {kata_name}", check, baseline, plain, 1.0))

        versus_pytest("softmax", SOFTMAX_PYTEST, "pytest, 100 random inputs")
        versus_pytest("gqa", GQA_PYTEST, "pytest, 50 random cases")

        print(f"{'command':<22} {'median s':>9}   {'baseline':<42} {'median s':>9} {'ratio':>6} {'target':>7}")
        for name, t, base_name, b, target in rows:
            ratio = t / b
            ok = ratio <= target
            missed += [] if ok else [name]
            print(f"{name:<22} {t:9.3f}   {base_name:<42} {b:9.3f} {ratio:6.2f} {'<= ' + format(target, 'g'):>7}"
                  f"  {'ok' if ok else 'MISSED'}")

        print()
        for cmd in (["list"], ["show", "mha"], ["start", "gqa"], ["hint", "rope"], ["reveal", "lora", "--yes"]):
            np_, torch_ = imports_of(cmd, env)
            ok = not np_ and not torch_
            missed += [] if ok else [" ".join(cmd)]
            print(f"kata {' '.join(cmd):<20} imports numpy={np_} torch={torch_}  {'ok' if ok else 'MISSED'}")
    if missed:
        print(f"\nmissed: {', '.join(missed)}")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
