"""
An independent PyTorch check of the cycle's ring count (docs/science.md §8): the authors' tiny-cycle
setting written again from their code's settings — `[EDGE] u -> v` for both directions of a cycle's
edges, their one-layer GPT (pre-LayerNorm, one head, d = 32, GELU(tanh) MLP 4d, final LayerNorm,
learned positions left at PyTorch's N(0, 1), tied token embeddings N(0, 0.02), vocabulary n + 9),
AdamW lr 0.01 cosine to 0.001, one full batch a step — with PyTorch's own seeds, so its draws are not
ours. For each seed it prints the first step with every edge in its node's top 5 and whether the 2-D
PCA of the node embeddings goes round the cycle in order there, at step 100 and at the end.

    pip install torch            # the 2.13 CPU wheel installs offline here (pip's find-links)
    python3 src/experiments/graph/reference/cycle_rings.py --seeds 30
"""
import argparse
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def gelu(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


class EdgeGPT(nn.Module):
    def __init__(self, vocab, d):
        super().__init__()
        self.d = d
        self.out = nn.Linear(d, vocab, bias=False)  # tied: the token embeddings are its rows
        self.pos = nn.Embedding(2, d)  # their code keeps PyTorch's N(0, 1) for positions
        self.ln1, self.ln2, self.lnf = nn.LayerNorm(d), nn.LayerNorm(d), nn.LayerNorm(d)
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.up, self.down = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        for m in (self.out, self.q, self.k, self.v, self.o, self.up, self.down):
            nn.init.normal_(m.weight, 0, 0.02)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    def forward(self, x):  # x: [batch, 2] = ([EDGE], u); logits at the last position
        h = self.out.weight[x] + self.pos.weight[None]
        a = self.ln1(h)
        att = (self.q(a) @ self.k(a).transpose(1, 2)) / math.sqrt(self.d)
        att = att.masked_fill(torch.triu(torch.ones(2, 2, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        h = h + self.o(att @ self.v(a))
        h = h + self.down(gelu(self.up(self.ln2(h))))
        return self.lnf(h)[:, -1] @ self.out.weight.T


def is_ring(emb):
    """The 2-D PCA's angular order around its centre is the cycle order, up to rotation and direction."""
    n = emb.shape[0]
    x = emb - emb.mean(0)
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    p = x @ vt[:2].T
    order = np.argsort(np.arctan2(p[:, 1], p[:, 0]))
    steps = [(order[(i + 1) % n] - order[i]) % n for i in range(n)]
    return all(s == 1 for s in steps) or all(s == n - 1 for s in steps)


def run(seed, n=15, d=32, steps=700, lr=0.01):
    torch.manual_seed(seed)
    edge_token = n + 7
    model = EdgeGPT(n + 9, d)
    pairs = [(i, (i + 1) % n) for i in range(n)] + [((i + 1) % n, i) for i in range(n)]
    x = torch.tensor([[edge_token, u] for u, _ in pairs])
    y = torch.tensor([v for _, v in pairs])
    every_node = torch.tensor([[edge_token, u] for u in range(n)])
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    out = {}
    for step in range(steps + 1):
        with torch.no_grad():
            top5 = model(every_node).topk(5, -1).indices.numpy()
            emb = model.out.weight[:n].numpy().astype(np.float64)
            if "first" not in out and all(v in top5[u] for u, v in pairs):
                out["first"] = (step, is_ring(emb))
            if step == 100:
                out["at100"] = is_ring(emb)
            if step == steps:
                out["end"] = is_ring(emb)
                break
        for g in opt.param_groups:
            g["lr"] = lr / 10 + 0.5 * (lr - lr / 10) * (1 + math.cos(math.pi * step / steps))
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0 … N−1")
    args = ap.parse_args()
    torch.set_num_threads(1)
    results = []
    for s in range(args.seeds):
        r = run(s)
        results.append(r)
        first = r.get("first", (None, False))
        print(f"seed {s}: first 100% top-5 at step {first[0]}, ring there {first[1]}, at 100 {r['at100']}, at end {r['end']}", flush=True)
    k = len(results)
    print(f"rings: at the first 100% {sum(r.get('first', (0, False))[1] for r in results)} of {k}; "
          f"at step 100 {sum(r['at100'] for r in results)} of {k}; at the end {sum(r['end'] for r in results)} of {k}")
