# why: tiles queries and keys; each key block gives a partial (out, lse) merged with logaddexp
import numpy as np


def _merge(o1, lse1, o2, lse2):
    lse = np.logaddexp(lse1, lse2)
    w1 = np.exp(lse1 - lse)
    w2 = np.exp(lse2 - lse)
    return w1[:, None] * o1 + w2[:, None] * o2, lse


def flash_attention(q, k, v, block_size=64, causal=False):
    N, d = q.shape
    M, dv = v.shape
    scale = d ** -0.5
    out = np.empty((N, dv))
    lse = np.empty(N)
    q_tile = 256
    for a in range(0, N, q_tile):
        qs = q[a:a + q_tile] * scale
        rows = np.arange(a, a + len(qs))
        o_acc, l_acc = np.zeros((len(qs), dv)), np.full(len(qs), -np.inf)
        for b in range(0, M, block_size):
            if causal and b > rows[-1]:
                break
            kb = k[b:b + block_size]
            s = qs @ kb.T
            if causal:
                s = np.where(np.arange(b, b + len(kb)) <= rows[:, None], s, -np.inf)
            mx = s.max(axis=1)
            seen = np.isfinite(mx)   # rows with no allowed key in this block contribute nothing
            safe = np.where(seen, mx, 0.0)
            e = np.exp(s - safe[:, None])
            tot = e.sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                o_blk = np.where(seen[:, None], (e @ v[b:b + block_size]) / tot[:, None], 0.0)
                l_blk = np.where(seen, safe + np.log(tot), -np.inf)
            both = np.isfinite(l_acc)
            merged_o, merged_l = _merge(np.where(both[:, None], o_acc, 0.0), np.where(both, l_acc, l_blk),
                                        o_blk, l_blk)
            o_acc = np.where(seen[:, None], np.where(both[:, None], merged_o, o_blk), o_acc)
            l_acc = np.where(seen, np.where(both, merged_l, l_blk), l_acc)
        out[a:a + q_tile], lse[a:a + q_tile] = o_acc, l_acc
    return out, lse
