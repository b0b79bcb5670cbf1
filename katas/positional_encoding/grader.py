import torch

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk

grader = Grader("PositionalEncoding", forbidden=tk.ATTENTION_FORBIDDEN)


def build(impl, case):
    return impl.PositionalEncoding(*case.args, **case.kwargs)


grader.raises("odd d_model raises ValueError", ValueError, [Case(3, 10), Case(7), Case(1, 4)], call=build,
              why="d_model must be even: the columns come in (sin, cos) pairs")


@grader.property("`pe` is a buffer of shape (1, max_len, d_model), not a parameter")
def buffer_not_parameter(ctx):
    ctx.seed_everything()
    for args in ((8, 50), (6,)):
        pe = ctx.attempt.PositionalEncoding(*args)
        expected_shape = (1, args[1] if len(args) > 1 else 5000, args[0])
        where = f"PositionalEncoding({', '.join(map(str, args))})"
        params = [name for name, _ in pe.named_parameters()]
        if params:
            raise Fail(f"`{params[0]}` is an nn.Parameter, so an optimizer would train it; the sinusoidal table is "
                       "fixed: store it with self.register_buffer(\"pe\", table)", case=where)
        buffers = dict(pe.named_buffers())
        if "pe" not in buffers:
            raise Fail("no buffer named `pe`: register the table with self.register_buffer(\"pe\", table)",
                       case=where, got=", ".join(buffers) or "no buffers")
        if tuple(buffers["pe"].shape) != expected_shape:
            raise Fail(f"`pe` has shape {tuple(buffers['pe'].shape)}, expected {expected_shape} "
                       "(a leading batch dimension of 1, then max_len positions)", case=where)


@grader.property("the table as built is sin/cos(pos / 10000^(2i/d_model)) (atol 1e-3, no state loaded)")
def table_as_built(ctx):
    for d_model, max_len in ((2, 10), (4, 10), (16, 100), (64, None), (128, 2048)):
        args = (d_model,) if max_len is None else (d_model, max_len)
        ctx.seed_everything()
        got = ctx.attempt.PositionalEncoding(*args).pe.detach().cpu().double()
        expected = ctx.ref.PositionalEncoding(*args).pe.detach().double()
        if got.shape != expected.shape:
            raise Fail(f"`pe` has shape {tuple(got.shape)}, expected {tuple(expected.shape)}")
        err = (got - expected).abs()
        if float(err.max()) <= 1e-3:
            continue
        bad = (err > 1e-3).nonzero()[0]
        pos, col = int(bad[1]), int(bad[2])
        i = col // 2
        fn = "sin" if col % 2 == 0 else "cos"
        angle = pos / 10000.0 ** (2 * i / d_model)
        raise Fail(f"pe[0, {pos}, {col}] should be {fn}({pos} / 10000^({2 * i}/{d_model})) = "
                   f"{fn}({angle:.6g}) = {float(expected[0, pos, col]):.6f}, got {float(got[0, pos, col]):.6f} "
                   "(even columns 2i hold sin, odd columns 2i+1 hold cos, both at frequency 10000^(-2i/d_model))",
                   case=f"PositionalEncoding({', '.join(map(str, args))})",
                   diff=f"{int((err > 1e-3).sum())} of {err.numel()} entries are off by more than 1e-3 "
                        f"(max {float(err.max()):.3g})")


@grader.property("forward returns x + pe[:, :T] in float64 and float32 (dtype kept, x unchanged, gradient reaches x)")
def forward_adds_table(ctx):
    # Built as is, no state loaded (the contract): the table's float32 accuracy sets atol 1e-3.
    gen = torch.Generator().manual_seed(ctx.seed)
    for d_model, max_len, B, T, label in ((4, 10, 1, 1, "T = 1"), (16, 64, 3, 17, ""), (8, 12, 2, 12, "T = max_len"),
                                          (32, None, 2, 300, "default max_len")):
        args = (d_model,) if max_len is None else (d_model, max_len)
        ref, got = ctx.ref.PositionalEncoding(*args), ctx.attempt.PositionalEncoding(*args)
        for dtype in (torch.float64, torch.float32):
            x = torch.randn(B, T, d_model, generator=gen, dtype=torch.float64).to(dtype)
            where = (f"PositionalEncoding({', '.join(map(str, args))}), forward(x of shape {(B, T, d_model)}, "
                     f"{str(dtype).replace('torch.', '')})" + (f" [{label}]" if label else ""))
            given = x.clone()
            try:
                out = got(given)
            except Exception as exc:
                exc.kata_case = where
                raise
            try:
                tk.compare_tensor(ref(x), out, "output", (1e-6, 1e-3))
            except Fail as fail:
                fail.case = where
                raise
            if not torch.equal(given, x):
                raise Fail("forward modified its input x in place (x += ...): return x + pe[:, :T] instead",
                           case=where)
        leaf = torch.randn(B, T, d_model, generator=gen, dtype=torch.float64, requires_grad=True)
        got(leaf).sum().backward()
        if leaf.grad is None or not torch.equal(leaf.grad, torch.ones_like(leaf)):
            raise Fail("the gradient of sum(forward(x)) with respect to x should be all ones (the table is a "
                       "constant added to x)", case=f"PositionalEncoding({', '.join(map(str, args))})")


grader.raises("T > max_len raises ValueError in forward", ValueError,
              [Case(8, 10, x_shape=(2, 11, 8)), Case(4, 1, x_shape=(1, 2, 4))],
              call=lambda impl, c: impl.PositionalEncoding(*c.args)(torch.zeros(*c.kwargs["x_shape"])),
              why="the table has only max_len rows")


tk.module_promises(grader, "PositionalEncoding", {"d_model": 8, "max_len": 16},
                   lambda gen, n: Case(tk.randn(gen, 2, n, 8)), load_state=False, tol=(1e-6, 1e-3))
