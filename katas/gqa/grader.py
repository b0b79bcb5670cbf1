import torch

from harness.engine import Case, Fail, Grader
from harness.engine import attention as at
from harness.engine import torchkit as tk

ATTN = at.Attention("GroupedQueryAttention", ("d_model", "num_heads", "num_kv_heads"), small=(16, 4, 2),
                    wide=(32, 2, 1))
grader = Grader(ATTN.cls, forbidden=tk.ATTENTION_FORBIDDEN)

grader.raises("raises ValueError unless num_heads divides d_model and num_kv_heads divides num_heads",
              ValueError, [Case(d_model=30, num_heads=4, num_kv_heads=2),
                           Case(d_model=12, num_heads=8, num_kv_heads=2),
                           Case(d_model=32, num_heads=8, num_kv_heads=3),
                           Case(d_model=32, num_heads=4, num_kv_heads=8)],
              call=ATTN.construct, why="d_model % num_heads != 0 or num_heads % num_kv_heads != 0")
at.structure(grader, ATTN, "has q_proj and o_proj: nn.Linear(d_model, d_model), k_proj and v_proj: "
             "nn.Linear(d_model, num_kv_heads * head_dim), all with bias, nothing else", (32, 8, 2))
at.scaled_scores(grader, ATTN)
at.mask_not_inverted(grader, ATTN)
at.weights_sum_to_one(grader, ATTN)


@grader.property("query head h reads kv head h // (num_heads // num_kv_heads), as Llama's repeat_kv")
def head_order(ctx):
    H, KV, d = 8, 2, 2
    ref, got = ATTN.pair(ctx, (H * d, H, KV))
    x = tk.randn(torch.Generator().manual_seed(ctx.seed), 2, 5, H * d)
    values = torch.arange(1.0, KV * d + 1, dtype=torch.float64).view(KV, d) * 1.5
    unmasked_ok = at.same(ATTN.run(got, (x,)), ATTN.run(ref, (x,)))
    with torch.no_grad():
        # every value vector of kv head j is values[j] and o_proj is the identity, so the output
        # features of query head h are values[j] for the kv head j that h reads
        got.v_proj.weight.zero_(), got.v_proj.bias.copy_(values.flatten())
        got.o_proj.weight.copy_(torch.eye(H * d, dtype=torch.float64)), got.o_proj.bias.zero_()
    out = ATTN.run(got, (x,))[0, 0].view(H, d)
    reads = [next((j for j in range(KV) if torch.allclose(out[h], values[j], rtol=1e-9, atol=1e-9)), "?")
             for h in range(H)]
    expected = [h // (H // KV) for h in range(H)]
    if reads == expected:
        return
    if reads == [h % KV for h in range(H)]:
        why = ("you tiled the kv heads (k0 k1 k0 k1 …, as repeat(1, G, 1, 1) or an expand over a new leading "
               "axis gives); each kv head must serve G consecutive query heads (k0 k0 k0 k0 k1 …): use "
               "repeat_interleave(G, dim=1), or expand a new axis right after the kv-head axis")
    elif not unmasked_ok:
        why = ("your output also differs from the reference without a mask (see 'agrees with the reference "
               "without a mask')")
    else:
        why = "each kv head must serve G = num_heads // num_kv_heads consecutive query heads"
    raise Fail(f"query head h should read kv head h // {H // KV}; {why}",
               case=f"{ATTN.shown((H * d, H, KV))}, the values of kv head j all equal",
               expected=f"kv heads read by query heads 0..7: {expected}",
               got=f"kv heads read by query heads 0..7: {reads}")


at.parity(grader, ATTN, "agrees with the reference without a mask: num_kv_heads = num_heads (MHA), = 1 (MQA) and "
          "in between; B = 1, T = 1 and larger; float64 and float32; gradients",
          [((8, 2, 1), (1, 1)), ((8, 2, 2), (3, 1)), ((12, 3, 3), (1, 5)), ((16, 4, 1), (2, 4)),
           ((32, 8, 2), (2, 7)), ((24, 6, 3), (1, 6)), ((32, 8, 4), (3, 9))])
at.hidden_keys(grader, ATTN)
at.masked_parity(grader, ATTN, [((8, 2, 1), (1, 1)), ((12, 3, 3), (2, 5)), ((32, 8, 2), (3, 7))])
at.promises(grader, ATTN)
