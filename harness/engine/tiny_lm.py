"""A tiny deterministic causal language model for the sliding-window perplexity kata.

Built in code from a fixed seed (no download, a few thousand parameters), so a grader
and the tests can score text with a real causal LM whose context window is enforced:
inputs longer than ``max_length`` raise ``ValueError``, like a GPT-2 asked for more than
``n_positions`` tokens. ``calls`` counts forward calls and ``lengths`` records the
length of every input it was given. ``generate(n, seed)`` samples a text from the model
itself (not counted), so that perplexities come out well below ``vocab_size`` and fall
as the context grows, as with a real LM on real text.

Architecture (causal by construction): token and position embeddings, then for every
position t a mix of the current token and a decaying average of the earlier tokens of
the same input, a tanh, and a linear read-out to the vocabulary.

    h_t = tanh(E[x_t] + P[t] + sum_{s<t} w^(t-1-s) U[x_s] / sum_{s<t} w^(t-1-s))
    logits_t = h_t @ W + b

Position t therefore sees only tokens 0..t of its own input, and the same token scored
with a different left context (another window) gets a different probability.
Everything is float64 so a reference and an attempt agree to ~1e-15.
"""
from __future__ import annotations

import torch

__all__ = ["TinyCausalLM"]


class TinyCausalLM(torch.nn.Module):
    def __init__(self, vocab_size: int = 48, max_length: int = 16, seed: int = 0,
                 hidden: int = 16, decay: float = 0.7):
        super().__init__()
        if vocab_size < 2 or max_length < 1 or hidden < 1:
            raise ValueError("vocab_size >= 2, max_length >= 1 and hidden >= 1 required")
        self.vocab_size = int(vocab_size)
        self.max_length = int(max_length)
        self.decay = float(decay)
        self.seed = int(seed)
        gen = torch.Generator().manual_seed(int(seed))

        def rand(*shape, scale=1.0):
            return torch.randn(*shape, generator=gen, dtype=torch.float64) * scale

        self.tok = torch.nn.Parameter(rand(vocab_size, hidden), requires_grad=False)
        self.ctx = torch.nn.Parameter(rand(vocab_size, hidden), requires_grad=False)
        self.pos = torch.nn.Parameter(rand(max_length, hidden, scale=0.5), requires_grad=False)
        self.out = torch.nn.Parameter(rand(hidden, vocab_size, scale=1.0), requires_grad=False)
        self.out_bias = torch.nn.Parameter(rand(vocab_size, scale=0.5), requires_grad=False)
        self.calls = 0
        self.lengths: list[int] = []
        self.eval()

    def extra_repr(self) -> str:
        return f"vocab_size={self.vocab_size}, max_length={self.max_length}, seed={self.seed}"

    def reset_calls(self) -> None:
        self.calls = 0
        self.lengths = []

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        if not isinstance(input_ids, torch.Tensor):
            raise TypeError(f"TinyCausalLM expects a LongTensor of token ids, got {type(input_ids).__name__}")
        if input_ids.dim() != 2:
            raise ValueError(f"TinyCausalLM expects input_ids of shape (batch, length), got {tuple(input_ids.shape)}")
        if input_ids.dtype.is_floating_point or input_ids.dtype == torch.bool:
            raise TypeError(f"TinyCausalLM expects integer token ids, got dtype {input_ids.dtype}")
        length = input_ids.shape[1]
        if length < 1:
            raise ValueError("TinyCausalLM got an empty input (length 0)")
        if length > self.max_length:
            raise ValueError(
                f"TinyCausalLM: input of length {length} exceeds max_length={self.max_length}; "
                "the model cannot see more than max_length tokens at once")
        self.calls += 1
        self.lengths.append(int(length))
        ids = input_ids.long()
        if (ids < 0).any() or (ids >= self.vocab_size).any():
            raise ValueError(f"TinyCausalLM: token ids must lie in [0, {self.vocab_size})")
        return self._logits(ids)

    def _logits(self, ids: torch.Tensor) -> torch.Tensor:
        length = ids.shape[1]
        ctx = self.ctx[ids]                                    # (B, L, H)
        t = torch.arange(length, dtype=torch.float64)
        # weight of earlier token s for position t: decay^(t-1-s) for s < t, else 0
        diff = t[:, None] - 1 - t[None, :]                     # (L, L)
        weights = torch.where(diff >= 0, self.decay ** diff.clamp(min=0), torch.zeros((), dtype=torch.float64))
        norm = weights.sum(1, keepdim=True).clamp(min=1.0)     # row 0 has no history
        mix = torch.matmul(weights / norm, ctx)                # (B, L, H)
        h = torch.tanh(self.tok[ids] + self.pos[:length] + mix)
        return h @ self.out + self.out_bias                    # (B, L, V) float64

    @torch.no_grad()
    def generate(self, n: int, seed: int = 0) -> torch.Tensor:
        """A text of n tokens (1, n) sampled from the model itself, each token drawn given the
        last max_length tokens; not counted in ``calls``. Under its own model such a text
        has a perplexity well below vocab_size, and more context lowers it."""
        gen = torch.Generator().manual_seed(int(seed))
        ids = torch.randint(0, self.vocab_size, (1, 1), generator=gen)
        while ids.shape[1] < n:
            logits = self._logits(ids[:, -self.max_length:])[0, -1]
            nxt = torch.multinomial(torch.softmax(logits, -1), 1, generator=gen)
            ids = torch.cat([ids, nxt.view(1, 1)], dim=1)
        return ids
