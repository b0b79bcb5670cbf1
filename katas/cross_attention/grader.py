import torch

from harness.engine import Case, Fail, Grader
from harness.engine import attention as at
from harness.engine import torchkit as tk

ATTN = at.Attention("CrossAttention", cross=True)
grader = Grader(ATTN.cls, forbidden=tk.ATTENTION_FORBIDDEN)

grader.raises("raises ValueError when num_heads does not divide d_model", ValueError,
              [Case(d_model=10, num_heads=3), Case(d_model=6, num_heads=4), Case(d_model=8, num_heads=3)],
              call=ATTN.construct, why="d_model % num_heads != 0")
at.structure(grader, ATTN, "has q_proj, k_proj, v_proj, o_proj: nn.Linear(d_model, d_model) with bias, "
             "nothing else", (24, 4))
at.scaled_scores(grader, ATTN)
at.mask_not_inverted(grader, ATTN)
at.weights_sum_to_one(grader, ATTN)


@grader.property("keys and values come from context: output i depends only on x[i] and the context")
def reads_context(ctx):
    gen = torch.Generator().manual_seed(ctx.seed)
    _ref, got = ATTN.pair(ctx)
    x, context = tk.randn(gen, 2, 4, 16), tk.randn(gen, 2, 6, 16)
    shown = f"{ATTN.shown()}, {ATTN.describe((x, context))}"
    other_queries = x.clone()
    other_queries[:, 1:] += 3.0 * tk.randn(gen, 2, 3, 16)
    out = ATTN.run(got, (x, context))
    if torch.allclose(out, ATTN.run(got, (x, context + 3.0 * tk.randn(gen, 2, 6, 16))), rtol=1e-9, atol=1e-12):
        raise Fail("changing the context did not change the output: keys and values must be projected "
                   "from context (k_proj(context), v_proj(context)); only the queries come from x", case=shown)
    if not torch.allclose(out[:, 0], ATTN.run(got, (other_queries, context))[:, 0], rtol=1e-9, atol=1e-12):
        raise Fail("changing x at positions 1, 2, 3 changed output 0: each query attends over the context "
                   "only (keys and values from context, not from x), the softmax runs over the context axis, "
                   "and output row i comes from query i (merge heads with transpose(1, 2) before the reshape)",
                   case=shown)


at.parity(grader, ATTN, "agrees with the reference without a mask (Tq < Tk, Tq > Tk, Tq = 1, B = 1; float64 and "
          "float32; gradients of x, context and every parameter)",
          [((8, 2), (1, 1, 1)), ((8, 2), (2, 1, 6)), ((12, 3), (1, 5, 2)), ((16, 1), (2, 3, 7)),
           ((24, 4), (3, 7, 4)), ((32, 8), (2, 4, 9))])
at.hidden_keys(grader, ATTN)
at.masked_parity(grader, ATTN, [((8, 2), (1, 1, 3)), ((12, 3), (2, 5, 3)), ((16, 4), (3, 4, 7))])
at.promises(grader, ATTN)
