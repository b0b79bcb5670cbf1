"""Speed targets of the README, measured side by side in one run (never a unit test).

    python benchmarks/run.py [--repeat 5] [--strict]

    python benchmarks/run.py --katas softmax gqa   # the per-kata table for some katas only
    python benchmarks/run.py --no-table            # the targets only (about a minute)

Targets:
  * `kata list`, `show`, `hint` within 2x a bare `python -c "import typer, rich.console"`;
  * cold `kata check softmax` no slower than a plain pytest file checking the same attempt on
    100 random inputs; cold `kata check gqa` no slower than one checking it on 50 cases;
  * warm (`kata server start` first) `kata check gqa` <= 0.5 s and <= 0.35x the cold check,
    warm `kata check softmax` <= 0.25 s;
  * `kata list/show/start/hint/reveal` import neither numpy nor torch.
Then a table for EVERY kata, slowest first: the cold and the warm check of its reference, and
the cold check over the import time of its framework (`python -c "import torch"` or
`import numpy`); a kata above 2x its framework's import is marked for a look.
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


def check_time(kata: list[str], env: dict, tmp: Path, name: str, repeat: int) -> float:
    """Median wall time of `kata check NAME` on its reference (which must pass)."""
    took, code = timed(kata + ["check", name, "--file", str(REPO / "solutions" / f"{name}.py")], env, repeat)
    if code != 0:
        raise SystemExit(f"the reference of {name} did not pass `kata check` (exit {code})")
    return took


def per_kata_table(kata: list[str], env: dict, tmp: Path, args) -> list[tuple]:
    """Every kata: (name, framework, cold, warm, framework import, cold / import), slowest first.
    Called while the warm grader runs; the cold check uses a workspace without one."""
    sys.path.insert(0, str(REPO))
    from harness import catalog

    imports = {"torch": timed([PY, "-c", "import torch"], env, args.repeat)[0],
               "numpy": timed([PY, "-c", "import numpy"], env, args.repeat)[0]}
    imports["python"] = imports["numpy"]
    cold_env = dict(env, KATA_HOME=str(tmp / "cold-ws"))
    names = args.katas or [k.name for k in catalog.all_katas()]
    rows = []
    for name in names:
        framework = catalog.find(name).framework
        cold = check_time(kata, cold_env, tmp, name, args.repeat)
        hot = check_time(kata, env, tmp, name, args.repeat)
        rows.append((name, framework, cold, hot, imports[framework], cold / imports[framework]))
        print(f"  measured {name}: cold {cold:.2f} s, warm {hot:.2f} s", file=sys.stderr, flush=True)
    return sorted(rows, key=lambda row: -row[2])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strict", action="store_true")
    parser.add_argument("--katas", nargs="*", help="the per-kata table for these katas only (default: all)")
    parser.add_argument("--no-table", action="store_true", help="skip the per-kata table")
    args = parser.parse_args()

    rows, missed = [], []
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, KATA_HOME=str(tmp / "ws"), PYTHONPATH=str(REPO))
        kata = [PY, "-m", "harness"]

        base, _ = timed([PY, "-c", "import typer, rich.console"], env, args.repeat)
        for cmd in (["list"], ["show", "mha"], ["hint", "rope"]):
            took, _ = timed(kata + cmd, env, args.repeat)
            rows.append((f"kata {cmd[0]}", took, "python -c 'import typer, rich.console'", base, 2.0))

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

        cold = {name: check_time(kata, env, tmp, name, args.repeat) for name in ("softmax", "gqa")}
        subprocess.run(kata + ["server", "start"], env=env, stdout=subprocess.DEVNULL, check=True)
        try:
            hot = {name: check_time(kata, env, tmp, name, args.repeat) for name in ("softmax", "gqa")}
            rows.append(("warm kata check gqa", hot["gqa"], "cold kata check gqa", cold["gqa"], 0.35))
            rows.append(("warm kata check gqa", hot["gqa"], "0.5 s", 0.5, 1.0))
            rows.append(("warm kata check softmax", hot["softmax"], "0.25 s", 0.25, 1.0))
            table = per_kata_table(kata, env, tmp, args) if not args.no_table else []
        finally:
            subprocess.run(kata + ["server", "stop"], env=env, stdout=subprocess.DEVNULL)

        print(f"{'command':<22} {'median s':>9}   {'baseline':<42} {'median s':>9} {'ratio':>6} {'target':>7}")
        for name, t, base_name, b, target in rows:
            ratio = t / b
            ok = ratio <= target
            missed += [] if ok else [name]
            print(f"{name:<22} {t:9.3f}   {base_name:<42} {b:9.3f} {ratio:6.2f} {'<= ' + format(target, 'g'):>7}"
                  f"  {'ok' if ok else 'MISSED'}")

        if table:
            print(f"\n{'kata':<28} {'framework':>9} {'cold s':>7} {'warm s':>7} {'import s':>8} {'cold/import':>11}")
            for name, framework, cold_s, warm_s, imp, ratio in table:
                flag = "  look: above 2x its framework's import" if ratio > 2 else ""
                print(f"{name:<28} {framework:>9} {cold_s:7.3f} {warm_s:7.3f} {imp:8.3f} {ratio:11.2f}{flag}")

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
