from harness.engine import Case, Grader
from harness.engine import attention as at
from harness.engine import torchkit as tk

ATTN = at.Attention("MultiHeadAttention")
grader = Grader(ATTN.cls, forbidden=tk.ATTENTION_FORBIDDEN)

grader.raises("raises ValueError when num_heads does not divide d_model", ValueError,
              [Case(d_model=10, num_heads=3), Case(d_model=6, num_heads=4), Case(d_model=8, num_heads=3)],
              call=ATTN.construct, why="d_model % num_heads != 0")
at.structure(grader, ATTN, "has q_proj, k_proj, v_proj, o_proj: nn.Linear(d_model, d_model) with bias, "
             "nothing else", (24, 4))
at.scaled_scores(grader, ATTN)
at.mask_not_inverted(grader, ATTN)
at.weights_sum_to_one(grader, ATTN)
at.parity(grader, ATTN, "agrees with the reference without a mask (B = 1, T = 1 and larger; float64 and float32; "
          "gradients of x and of every parameter)",
          [((8, 2), (1, 1)), ((8, 2), (3, 1)), ((12, 3), (1, 5)), ((16, 1), (2, 4)), ((24, 4), (2, 7)),
           ((32, 8), (3, 9))])
at.hidden_keys(grader, ATTN)
at.masked_parity(grader, ATTN, [((8, 2), (1, 1)), ((12, 3), (2, 5)), ((16, 4), (3, 7))])
at.promises(grader, ATTN)
