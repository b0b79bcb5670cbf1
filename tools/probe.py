"""Mutation probe: how many mechanically broken references does each grader reject?

For every kata, the reference ``solutions/<kata>.py`` is mutated one change at a time by a
small set of AST operators (the mistakes candidates make: a wrong axis or a dropped keepdims,
an off-by-one, a changed constant, ``-inf`` made finite, a dropped transpose or cast,
``repeat`` for ``repeat_interleave``, swapped arguments, a removed ``no_grad``/``detach`` or
dropout, …). Each mutant is graded like any attempt; one that passes has *survived*: either
the grader misses a promise of the contract (add a check) or the mutant is equivalent to the
reference (list it, with the reason, in ``katas/<kata>/mutants.toml``).

    python tools/probe.py                      # every kata, every mutant (slow: minutes)
    python tools/probe.py softmax gqa          # some katas
    python tools/probe.py --sample 5 --seed 1  # 5 mutants per kata, drawn with seed 1
    python tools/probe.py softmax --list       # the mutants, without grading
    python tools/probe.py softmax --survivors  # print each survivor's diff and its id

``katas/<kata>/mutants.toml`` lists the survivors that are not bugs of the grader::

    [[equivalent]]
    id = "3f2a9c1b"                       # the id printed by --survivors
    mutant = "L12: axis=-1 → axis=1"      # for the reader
    why = "x is always 2-D here, so axis 1 is the last axis"

and, honestly, the real mistakes that no check catches yet (they still lower the score)::

    [[survivor]]
    id = "9157a6cb"
    mutant = "L39 drop no_grad"
    why = "merge() outside no_grad: needs a check that base.weight stays a leaf"

The score of a kata is killed / (generated − equivalent). Mutants that do not compile are not
generated. A mutant counts as killed by any failing verdict (wrong values, exception, timeout).
"""
from __future__ import annotations

import argparse
import ast
import copy
import hashlib
import importlib.util
import json
import os
import random
import sys
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

# The checkout whose katas are probed is the one `harness` is imported from: PYTHONPATH=DIR
# probes the checkout DIR (a worktree) with this script; otherwise this script's own checkout.
if importlib.util.find_spec("harness") is None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Operator tables: name → replacement, both directions where the swap is a classic mistake.
SWAPPED_NAMES = {
    "max": "min", "min": "max", "maximum": "minimum", "minimum": "maximum", "amax": "amin", "amin": "amax",
    "argmax": "argmin", "argmin": "argmax", "sum": "mean", "mean": "sum", "nansum": "nanmean",
    "repeat_interleave": "repeat", "repeat": "repeat_interleave", "tile": "repeat",
    "tril": "triu", "triu": "tril", "exp": "expm1", "log": "log1p", "log1p": "log",
    "logsumexp": "amax", "cumsum": "cumprod", "var": "std", "std": "var",
    "unsqueeze": "squeeze", "sigmoid": "tanh", "softmax": "log_softmax", "log_softmax": "softmax",
}
DROPPED_CALLS = {"transpose", "swapaxes", "permute", "moveaxis", "contiguous", "detach", "clone", "copy",
                 "astype", "float", "double", "half", "to", "type_as", "sqrt", "abs", "squeeze", "flip",
                 "dropout", "drop", "attn_dropout", "resid_dropout", "attn_drop", "proj_drop",
                 "float32", "float64", "asarray", "ravel", "flatten"}
DROPPED_ATTRS = {"T", "mT"}
COMMUTATIVE = {"maximum", "minimum", "add", "multiply", "max", "min", "logaddexp", "hypot", "isclose",
               "allclose", "array_equal", "equal", "zip", "dict", "print", "isinstance", "getattr",
               "hasattr", "setattr", "Linear", "range", "full", "zeros", "ones", "empty", "register_buffer",
               "transpose", "swapaxes"}  # transpose(1, 2) is transpose(2, 1)
BINOP_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
               ast.FloorDiv: ast.Div, ast.Pow: ast.Mult, ast.Mod: ast.FloorDiv}
CMP_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
             ast.NotEq: ast.Eq}
AXIS_KEYWORDS = {"axis", "dim", "axes", "dims"}
KEEPDIMS_KEYWORDS = {"keepdims", "keepdim"}


@dataclass
class Mutant:
    op: str
    line: int
    before: str
    after: str
    source: str
    id: str = ""

    @property
    def label(self) -> str:
        return f"L{self.line} {self.op}: {self.before} → {self.after}"


def _text(node: ast.AST) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "…"


class Mutator(ast.NodeTransformer):
    """Finds mutation points; when ``target`` is set, applies only the target-th one."""

    def __init__(self, target: int | None = None):
        self.count = 0
        self.target = target
        self.applied: tuple[str, int, str, str] | None = None

    def _offer(self, op: str, node: ast.AST, replacement: ast.AST | None):
        """Count one mutation point; return the replacement when it is the chosen one."""
        index = self.count
        self.count += 1
        if self.target == index and self.applied is None:
            after = "<removed>" if replacement is None else _text(replacement)
            self.applied = (op, getattr(node, "lineno", 0), _text(node), after)
            return True
        return False

    # -- skip what is not computation ------------------------------------------------------
    def visit_Expr(self, node):  # docstrings and bare strings
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node
        return self.generic_visit(node)

    def visit_Raise(self, node):  # error messages: mutating them is never observable
        return node

    def visit_Assert(self, node):
        return node

    def visit_Import(self, node):
        return node

    def visit_ImportFrom(self, node):
        return node

    def visit_JoinedStr(self, node):
        return node

    # -- operators ---------------------------------------------------------------------------
    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return node
        if isinstance(value, int):
            options = [value + 1, value - 1] if value not in (0,) else [1]
        else:
            options = [value * 2 if value else 1.0] if value not in (0.5, 1.0) else [value * 2, value / 2]
            if value == 1.0:
                options = [0.0, 2.0]
        for new in options:
            if self._offer("constant", node, ast.Constant(new)):
                return ast.copy_location(ast.Constant(new), node)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, (ast.USub, ast.Not, ast.Invert)) and self._offer("unary", node, node.operand):
            return node.operand
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        swap = BINOP_SWAPS.get(type(node.op))
        if swap is not None:
            new = ast.BinOp(left=node.left, op=swap(), right=node.right)
            if self._offer("operator", node, new):
                return ast.copy_location(new, node)
        if isinstance(node.op, (ast.Sub, ast.Div, ast.MatMult, ast.Pow)):
            new = ast.BinOp(left=node.right, op=node.op, right=node.left)
            if self._offer("swap operands", node, new):
                return ast.copy_location(new, node)
        return node

    def visit_AugAssign(self, node):
        self.generic_visit(node)
        if self._offer("drop update", node, None):
            return ast.copy_location(ast.Pass(), node)
        return node

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        new = ast.BoolOp(op=ast.Or() if isinstance(node.op, ast.And) else ast.And(), values=node.values)
        if self._offer("boolean", node, new):
            return ast.copy_location(new, node)
        return node

    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1:
            swap = CMP_SWAPS.get(type(node.ops[0]))
            if swap is not None:
                new = ast.Compare(left=node.left, ops=[swap()], comparators=node.comparators)
                if self._offer("comparison", node, new):
                    return ast.copy_location(new, node)
        return node

    def visit_Subscript(self, node):
        self.generic_visit(node)
        sl = node.slice
        if isinstance(sl, ast.Slice):
            for part in ("lower", "upper"):
                bound = getattr(sl, part)
                if bound is not None and not isinstance(bound, ast.Constant):
                    new_slice = copy.copy(sl)
                    setattr(new_slice, part, ast.BinOp(left=bound, op=ast.Add(), right=ast.Constant(1)))
                    new = ast.Subscript(value=node.value, slice=new_slice, ctx=node.ctx)
                    if self._offer("slice bound", node, new):
                        return ast.copy_location(new, node)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        if node.attr == "inf" and self._offer("finite inf", node, ast.Constant(1e4)):
            return ast.copy_location(ast.Constant(1e4), node)
        if node.attr in DROPPED_ATTRS and self._offer("drop transpose", node, node.value):
            return node.value
        if node.attr in SWAPPED_NAMES and not isinstance(node.ctx, ast.Store):
            new = ast.Attribute(value=node.value, attr=SWAPPED_NAMES[node.attr], ctx=node.ctx)
            if self._offer("swap function", node, new):
                return ast.copy_location(new, node)
        return node

    def visit_With(self, node):
        self.generic_visit(node)
        for item in node.items:
            if _callee(item.context_expr) in ("no_grad", "inference_mode"):
                nullcontext = ast.parse("__import__('contextlib').nullcontext()", mode="eval").body
                if self._offer("drop no_grad", item.context_expr, nullcontext):
                    item.context_expr = ast.copy_location(nullcontext, item.context_expr)
        return node

    def visit_FunctionDef(self, node):
        self.generic_visit(node)
        for decorator in list(node.decorator_list):
            if _callee(decorator) in ("no_grad", "inference_mode") and self._offer("drop no_grad", decorator, None):
                node.decorator_list.remove(decorator)
        return node

    def visit_Call(self, node):
        self.generic_visit(node)
        name = _callee(node)
        for kw in node.keywords:
            if kw.arg in KEEPDIMS_KEYWORDS and isinstance(kw.value, ast.Constant) and kw.value.value is True:
                if self._offer("keepdims", kw.value, ast.Constant(False)):
                    kw.value = ast.copy_location(ast.Constant(False), kw.value)
            if kw.arg in AXIS_KEYWORDS and isinstance(kw.value, ast.UnaryOp | ast.Constant):
                try:
                    axis = ast.literal_eval(kw.value)
                except ValueError:
                    continue
                if isinstance(axis, int):
                    new_axis = {-1: -2, 0: -1, 1: 0}.get(axis, 0)
                    new = ast.parse(repr(new_axis), mode="eval").body
                    if self._offer("axis", kw.value, new):
                        kw.value = ast.copy_location(new, kw.value)
        if name == "float" and node.args and isinstance(node.args[0], ast.Constant) \
                and str(node.args[0].value).lstrip("+-") == "inf":
            sign = -1 if str(node.args[0].value).startswith("-") else 1
            if self._offer("finite inf", node, ast.Constant(sign * 1e4)):
                return ast.copy_location(ast.Constant(sign * 1e4), node)
        if name in DROPPED_CALLS:
            kept = _dropped_call_value(node, name)
            if kept is not None and self._offer("drop call", node, kept):
                return kept
        if len(node.args) == 2 and not node.keywords and name not in COMMUTATIVE \
                and not any(isinstance(a, ast.Starred) for a in node.args):
            new = ast.Call(func=node.func, args=[node.args[1], node.args[0]], keywords=[])
            if self._offer("swap arguments", node, new):
                return ast.copy_location(new, node)
        return node


def _callee(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute):
            return func.attr
        if isinstance(func, ast.Name):
            return func.id
    return None


def _dropped_call_value(node: ast.Call, name: str) -> ast.AST | None:
    """What remains when a transform is dropped: the object a method is called on, or the
    first argument of a function (``np.sqrt(x)`` → ``x``, ``x.transpose(1, 2)`` → ``x``)."""
    func = node.func
    if isinstance(func, ast.Attribute) and not (isinstance(func.value, ast.Name)
                                                 and func.value.id in ("np", "numpy", "torch", "F", "math", "nn")):
        if isinstance(func.value, ast.Name) and func.value.id == "self" and node.args:
            return node.args[0]  # self.dropout(x) → x
        return func.value
    if node.args and not isinstance(node.args[0], ast.Starred):
        return node.args[0]
    return None


def mutants_of(source: str) -> list[Mutant]:
    tree = ast.parse(source)
    counter = Mutator()
    counter.visit(copy.deepcopy(tree))
    seen: dict[str, int] = {}
    found = []
    for index in range(counter.count):
        mutator = Mutator(index)
        mutated = ast.fix_missing_locations(mutator.visit(copy.deepcopy(tree)))
        if mutator.applied is None:
            continue
        try:
            text = ast.unparse(mutated)
            compile(text, "<mutant>", "exec")
        except (SyntaxError, ValueError, RecursionError):
            continue
        op, line, before, after = mutator.applied
        mutant = Mutant(op, line, before, after, text)
        key = f"{op}|{before}|{after}"
        seen[key] = seen.get(key, 0) + 1
        mutant.id = hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:8]
        found.append(mutant)
    return found


def _listed(kata, table: str) -> dict[str, str]:
    path = kata.folder / "mutants.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text())
    return {entry["id"]: entry.get("why", "") for entry in data.get(table, [])}


def equivalents(kata) -> dict[str, str]:
    """Survivors that behave exactly as the reference on everything the contract promises."""
    return _listed(kata, "equivalent")


def known_survivors(kata) -> dict[str, str]:
    """Survivors that are real mistakes no check catches yet (with what it would take): they
    count against the score, and the probe's test tolerates them while they are listed."""
    return _listed(kata, "survivor")


@dataclass
class KataReport:
    name: str
    generated: int = 0
    killed: int = 0
    equivalent: int = 0
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def score(self) -> float:
        denominator = self.generated - self.equivalent
        return 1.0 if denominator <= 0 else self.killed / denominator


def grade_mutant(kata, mutant: Mutant, workdir: Path, timeout: float) -> bool:
    """True when the grader rejects the mutant."""
    from harness.runner import grade_kata

    path = workdir / f"{kata.name}_{mutant.id}.py"
    path.write_text(mutant.source + "\n")
    result = grade_kata(kata, path, speed=False, timeout=timeout)
    return not result.passed


def probe(kata, *, sample: int | None, seed: int, jobs: int, timeout: float | None) -> KataReport:
    mutants = mutants_of(kata.solution_path.read_text())
    if sample is not None and sample < len(mutants):
        mutants = sorted(random.Random(f"{seed}:{kata.name}").sample(mutants, sample), key=lambda m: m.line)
    known = equivalents(kata)
    report = KataReport(kata.name, generated=len(mutants))
    limit = timeout if timeout is not None else kata.timeout
    with tempfile.TemporaryDirectory(prefix="kata-probe-") as tmp:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            verdicts = list(pool.map(lambda m: grade_mutant(kata, m, Path(tmp), limit), mutants))
    for mutant, killed in zip(mutants, verdicts):
        if killed:
            report.killed += 1
        elif mutant.id in known:
            report.equivalent += 1
        else:
            report.survivors.append(mutant)
    return report


def unified_diff(before: str, after: str) -> str:
    import difflib

    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), "reference", "mutant", n=1, lineterm="")
    return "\n".join(list(lines)[2:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("katas", nargs="*", help="kata names (default: all)")
    parser.add_argument("--sample", type=int, help="grade only N mutants per kata (drawn with --seed)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants graded at once")
    parser.add_argument("--timeout", type=float, help="seconds per mutant (default: the kata's timeout)")
    parser.add_argument("--list", action="store_true", help="list the mutants without grading them")
    parser.add_argument("--survivors", action="store_true", help="print each survivor's id and diff")
    parser.add_argument("--json", action="store_true", help="one JSON object per kata")
    parser.add_argument("--min-score", type=float, default=0.0, help="exit 1 if a kata scores below this")
    args = parser.parse_args(argv)

    os.environ["KATA_STOP_AT_FIRST_FAILURE"] = "1"  # a mutant needs one failing check, not all
    from harness import catalog

    katas = [catalog.find(name) for name in args.katas] if args.katas else catalog.all_katas()
    if args.list:
        for kata in katas:
            for mutant in mutants_of(kata.solution_path.read_text()):
                print(f"{kata.name:28} {mutant.id}  {mutant.label}")
        return 0

    reports = []
    print(f"{'kata':28} {'mutants':>7} {'killed':>7} {'equiv':>6} {'surviving':>9} {'score':>6}", flush=True)
    for kata in katas:
        report = probe(kata, sample=args.sample, seed=args.seed, jobs=args.jobs, timeout=args.timeout)
        reports.append(report)
        if args.json:
            print(json.dumps({"kata": report.name, "generated": report.generated, "killed": report.killed,
                              "equivalent": report.equivalent, "score": round(report.score, 4),
                              "survivors": [{"id": m.id, "mutant": m.label} for m in report.survivors]}))
        else:
            print(f"{report.name:28} {report.generated:7} {report.killed:7} {report.equivalent:6} "
                  f"{len(report.survivors):9} {report.score:6.1%}", flush=True)
        if args.survivors:
            reference = kata.solution_path.read_text()
            base = ast.unparse(ast.parse(reference))
            for mutant in report.survivors:
                print(f"  survivor {mutant.id}  {mutant.label}")
                print("    " + unified_diff(base, mutant.source).replace("\n", "\n    "))
    total = sum(r.generated - r.equivalent for r in reports)
    killed = sum(r.killed for r in reports)
    if len(reports) > 1:
        print(f"{'all':28} {sum(r.generated for r in reports):7} {killed:7} "
              f"{sum(r.equivalent for r in reports):6} {sum(len(r.survivors) for r in reports):9} "
              f"{(killed / total if total else 1.0):6.1%}")
    return 1 if any(r.score < args.min_score for r in reports) else 0


if __name__ == "__main__":
    sys.exit(main())
