import math

import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

grader = Grader("RotaryEmbedding", forbidden=tk.ATTENTION_FORBIDDEN)
TOL = (1e-3, 1e-3)  # the contract: float32 angles are fine
TOLERANCES = {"float64": TOL, "float32": TOL}
LAYOUTS = (True, False)


def layout_name(interleaved):
    return "interleaved=True" if interleaved else "interleaved=False"


def pair_of(i, d, interleaved):
    """The two features that form pair i in the given layout."""
    return (2 * i, 2 * i + 1) if interleaved else (i, i + d // 2)


grader.raises("odd head_dim raises ValueError", ValueError, [Case(3), Case(7, interleaved=False), Case(1)],
              call=tk.construct("RotaryEmbedding"),
              why="the features are rotated in pairs")


@grader.property("no trainable parameter and an empty state_dict (constant tables stay out of it)")
def empty_state(ctx):
    for interleaved in LAYOUTS:
        rope = ctx.attempt.RotaryEmbedding(16, interleaved=interleaved)
        rope(torch.randn(1, 2, 5, 16))  # a cache built lazily must stay out of the state_dict too
        params = [n for n, _ in rope.named_parameters()]
        if params:
            raise Fail(f"`{params[0]}` is an nn.Parameter: RoPE has nothing to learn")
        keys = list(rope.state_dict())
        if keys:
            raise Fail(f"your state_dict holds `{keys[0]}`: constant tables (inverse frequencies, sin/cos caches) "
                       "must not be saved; use register_buffer(..., persistent=False) or a plain attribute",
                       got=", ".join(keys))


@grader.property("pair i is rotated by pos · base^(-2i/head_dim), in the layout `interleaved` asks for")
def rotates_each_pair(ctx):
    d, base, T = 8, 10000.0, 4
    pos = T - 1  # default positions arange(T): look at the last token
    for interleaved in LAYOUTS:
        rope = ctx.attempt.RotaryEmbedding(d, base=base, interleaved=interleaved)
        for i in range(d // 2):
            a, b = pair_of(i, d, interleaved)
            x = torch.zeros(1, 1, T, d, dtype=torch.float64)
            x[..., a] = 1.0
            out = rope(x)
            if tuple(out.shape) != (1, 1, T, d):
                raise Fail(f"output shape {tuple(out.shape)}, expected (1, 1, {T}, {d})")
            out = out.detach().double()[0, 0, pos]
            where = (f"RotaryEmbedding({d}, {layout_name(interleaved)}), x of shape (1, 1, {T}, {d}) equal to "
                     f"1 on feature {a} and 0 elsewhere; the token at position {pos}")
            leaked = [k for k in range(d) if k not in (a, b) and abs(float(out[k])) > 1e-3]
            if leaked:
                other = pair_of(i, d, not interleaved)[1]
                raise Fail(f"feature {a} should rotate together with feature {b} (pair {i} is "
                           f"(x[{a}], x[{b}]) with {layout_name(interleaved)}), but your output moved it into "
                           f"feature {leaked[0]}" + (f" (the pairing of {layout_name(not interleaved)})"
                                                     if leaked[0] == other else ""),
                           case=where, got=str([round(float(v), 4) for v in out]))
            theta = base ** (-2 * i / d)
            want = pos * theta
            got_angle = math.atan2(float(out[b]), float(out[a]))
            if abs(math.remainder(got_angle - want, 2 * math.pi)) > 1e-3:
                raise Fail(f"pair {i} should turn by pos · base^(-2·{i}/{d}) = {pos} · {theta:.6g} = {want:.6g} rad, "
                           f"yours turned by {got_angle:.6g} rad", case=where,
                           expected=f"x[{a}] = cos = {math.cos(want):.6f}, x[{b}] = sin = {math.sin(want):.6f}",
                           got=f"x[{a}] = {float(out[a]):.6f}, x[{b}] = {float(out[b]):.6f}")


def default_position_configs(rng):
    gen = tk.generator(rng)
    for interleaved in LAYOUTS:
        for (B, H, T, d, base) in ((1, 1, 1, 2, 10000.0), (2, 3, 7, 8, 10000.0), (1, 2, 33, 64, 10000.0),
                                   (2, 2, 16, 128, 500000.0)):
            yield ({"head_dim": d, "base": base, "interleaved": interleaved}, [Case(tk.randn(gen, B, H, T, d))])


tk.module_parity(grader, "agrees with the reference for both layouts, default positions (float64 and float32)",
                 "RotaryEmbedding", default_position_configs, tolerances=TOLERANCES)


@grader.property("works for a longer sequence after a shorter one (the same module, called again)")
def longer_after_shorter(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for interleaved in LAYOUTS:
        ref = ctx.ref.RotaryEmbedding(16, interleaved=interleaved)
        got = ctx.attempt.RotaryEmbedding(16, interleaved=interleaved)
        history = []
        for T in (4, 16, 3, 40):
            x = tk.randn(gen, 2, 2, T, 16)
            history.append(f"T={T}")
            where = f"RotaryEmbedding(16, {layout_name(interleaved)}) called with " + ", then ".join(history)
            try:
                out = got(x.clone())
            except Exception as exc:
                exc.kata_case = where
                raise
            try:
                tk.compare_tensor(ref(x), out, "output", TOL)
            except Fail as fail:
                fail.message = (f"{fail.message} after an earlier call with a shorter sequence: is a sin/cos cache "
                                "built for the first length and reused? Rebuild it when a longer one arrives")
                fail.case = where
                raise


def position_id_configs(rng):
    gen = tk.generator(rng)
    for interleaved in LAYOUTS:
        init = {"head_dim": 32, "interleaved": interleaved}
        T = 6
        yield init, [Case(tk.randn(gen, 1, 4, 1, 32), torch.tensor([[1000]])).named("one token at position 1000")]
        yield init, [Case(tk.randn(gen, 2, 2, T, 32), torch.arange(1000, 1000 + T).expand(2, T).clone())
                     .named("offset 1000")]
        yield init, [Case(tk.randn(gen, 3, 2, T, 32),
                          torch.stack([torch.arange(T), torch.arange(4090, 4090 + T), torch.tensor([0, 0, 1, 2, 3, 9])]))
                     .named("a different row of positions per batch element")]


tk.module_parity(grader, "explicit position_ids (B, T): offsets such as 1000, a different row per batch element",
                 "RotaryEmbedding", position_id_configs, tolerances=TOLERANCES)


@grader.property("norms are preserved (rotations)")
def norms_preserved(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for interleaved in LAYOUTS:
        rope = ctx.attempt.RotaryEmbedding(32, interleaved=interleaved)
        x = tk.randn(gen, 2, 3, 20, 32)
        pos = torch.randint(0, 5000, (2, 20), generator=gen)
        out = rope(x, pos).detach().double()
        tk.compare_tensor(x.norm(dim=-1), out.norm(dim=-1), f"norm of each rotated vector ({layout_name(interleaved)})",
                          TOL)


@grader.property("q·k after rotation depends only on the position difference m − n")
def relative_positions(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for interleaved in LAYOUTS:
        rope = ctx.attempt.RotaryEmbedding(64, interleaved=interleaved)
        q, k = tk.randn(gen, 1, 1, 1, 64), tk.randn(gen, 1, 1, 1, 64)
        scale = float(q.norm() * k.norm())

        def score(m, n):
            rq = rope(q, torch.tensor([[m]])).detach().double()
            rk = rope(k, torch.tensor([[n]])).detach().double()
            return float((rq * rk).sum())

        pairs = [(3, 0), (10, 7), (503, 500), (1003, 1000)]
        scores = [score(m, n) for m, n in pairs]
        for (m, n), s in zip(pairs[1:], scores[1:]):
            if abs(s - scores[0]) > 1e-3 * scale:
                raise Fail(f"q·k at positions (m, n) = ({m}, {n}) is {s:.6f} but {scores[0]:.6f} at (3, 0): "
                           "the same difference m − n = 3 must give the same score",
                           case=f"RotaryEmbedding(64, {layout_name(interleaved)})")


@grader.property("one module called at successive decoding steps (T = 1, positions 0, 1, 2, … then 1000, 1001, …) "
                 "agrees with the reference at each step")
def decoding_steps(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    for interleaved in LAYOUTS:
        init = {"head_dim": 8, "interleaved": interleaved}
        ref, got = ctx.ref.RotaryEmbedding(**init), ctx.attempt.RotaryEmbedding(**init)
        for pos in [0, 1, 2, 3, 1000, 1001, 1002]:
            x, ids = tk.randn(gen, 2, 2, 1, 8), torch.full((2, 1), pos)
            where = f"RotaryEmbedding(8, {layout_name(interleaved)}), step at position {pos}: forward(x of shape " \
                    f"(2, 2, 1, 8), position_ids = [[{pos}], [{pos}]])"
            out = tk.guarded(where, got, x.clone(), ids.clone())
            tk.compare_tensor(ref(x, ids), out, "output", TOL, case=where,
                              message=None if pos == 0 else
                              f"at the decoding step for position {pos} (after steps at earlier positions on the "
                              "same module) your output disagrees with the reference: angles or a sin/cos table "
                              "kept from an earlier call, or position_ids ignored?")


for _interleaved in LAYOUTS:
    tk.module_promises(grader, "RotaryEmbedding", {"head_dim": 8, "interleaved": _interleaved},
                       lambda gen, n: Case(tk.randn(gen, 2, 2, n, 8)), load_state=False, tol=TOL,
                       what_varies=f"another length ({layout_name(_interleaved)})")
