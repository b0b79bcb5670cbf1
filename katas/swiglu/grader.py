import torch
import torch.nn.functional as F

from harness.engine import Case, Fail, Grader
from harness.engine import torchkit as tk
from harness.engine.compare import first_match

grader = Grader("SwiGLU", forbidden=tk.ATTENTION_FORBIDDEN)


def _suspects(m, x):
    """What the classic mistakes compute with the module's own weights."""
    g, u = m.gate_proj(x), m.up_proj(x)
    return {
        "silu applied to up_proj(x) instead of to the gate: down_proj(gate_proj(x) * silu(up_proj(x)))":
            m.down_proj(g * F.silu(u)),
        "sigmoid instead of SiLU on the gate (that is GLU; SwiGLU uses silu(z) = z * sigmoid(z))":
            m.down_proj(torch.sigmoid(g) * u),
        "silu applied after the product, silu(gate * up); only the gate goes through SiLU":
            m.down_proj(F.silu(g * u)),
        "GELU instead of SiLU on the gate": m.down_proj(F.gelu(g) * u),
        "no activation at all; the gate goes through SiLU": m.down_proj(g * u),
    }


@grader.property("output equals down_proj(silu(gate_proj(x)) * up_proj(x)), bias-free projections")
def formula(ctx):
    ref, got = tk.build_pair(ctx, "SwiGLU", {"d_model": 6, "d_ff": 16})
    ref, got = ref.double().eval(), got.double().eval()
    x = 2 * torch.randn(3, 4, 6, generator=torch.Generator().manual_seed(ctx.seed), dtype=torch.float64)
    with torch.no_grad():
        expected, output, suspects = ref(x.clone()), got(x.clone()), _suspects(ref, x)
    try:
        tk.compare_tensor(expected, output, "output")
    except Fail as fail:
        fail.case = f"SwiGLU(6, 16) with random weights, x of shape {tuple(x.shape)}"
        why = first_match(output, suspects, rtol=1e-9, atol=1e-12)
        fail.message = f"your output matches {why}" if why else fail.message
        raise


def configs(rng):
    for d_model, d_ff in ((1, 1), (4, 12), (8, 3), (16, 48)):
        b, t = int(rng.integers(1, 4)), int(rng.integers(1, 6))
        yield {"d_model": d_model, "d_ff": d_ff}, [Case(torch.from_numpy(rng.normal(0, 2, (b, t, d_model)))),
                                                   Case(torch.from_numpy(rng.normal(0, 2, (5, d_model))))]


tk.module_parity(grader, "agrees with the reference on (B, T, d_model) and (N, d_model), float64 and float32; "
                 "gradients w.r.t. x and the three weights", "SwiGLU", configs)

tk.module_promises(grader, "SwiGLU", {"d_model": 6, "d_ff": 16}, lambda gen, n: Case(tk.randn(gen, 2, n, 6)),
                   feature_dim=6)
