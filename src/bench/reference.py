"""PyTorch reference of the one-layer model (docs/science.md §2), for the benchmark only.

The job (stdin) and the timing loop are bench_job.py's. Trains full-batch Adam from exactly the given
initial weights, the same maths as src/core/model/model.ts (row vectors, x·W; one head; sequence [s, r];
the last position attends to both; ReLU MLP with a residual; logits = z·Uᵀ; mean cross-entropy), in
eager mode, and prints one JSON line: the loss of every step, steps/s (after one warm-up step), and the
step at which every fact was first right (and the seconds until then, warm-up included).
Runs under PyTorch 2.x (the anchor) and Debian's 1.13 (the historical row) alike.
"""
import torch

from bench_job import read_job, report, timed_training


def main() -> None:
    job, c, tensors = read_job()
    torch.set_num_threads(int(job.get("threads", 1)))
    n, r, d = c["n"], c["r"], c["d"]
    dtype = torch.float64 if job.get("dtype") == "float64" else torch.float32
    w = {k: torch.tensor(v["data"], dtype=dtype).reshape(v["shape"]).requires_grad_(True) for k, v in tensors.items()}
    targets = torch.tensor(job["targets"], dtype=torch.long)
    subjects = torch.arange(n).repeat(r)  # relation-major: index r·N + s
    relations = torch.arange(r).repeat_interleave(n)
    opt = torch.optim.Adam(list(w.values()), lr=job["lr"], betas=(0.9, 0.999), eps=1e-8)
    scale = 1.0 / d**0.5

    def step():
        x0 = w["subjectEmbedding"][subjects] + w["positionEmbedding"][0]
        x1 = w["relationEmbedding"][relations] + w["positionEmbedding"][1]
        q = x1 @ w["attention.query"]
        k = torch.stack([x0 @ w["attention.key"], x1 @ w["attention.key"]])  # [2, B, d]
        v = torch.stack([x0 @ w["attention.value"], x1 @ w["attention.value"]])
        scores = (k * q).sum(-1) * scale  # [2, B]
        att = torch.softmax(scores, 0).unsqueeze(-1)
        h = x1 + (att * v).sum(0) @ w["attention.output"]
        hidden = torch.relu(h @ w["mlp.in"] + w["mlp.bias"])
        z = h + hidden @ w["mlp.out"]
        logits = z @ w["attributeVectors"].T
        loss = torch.nn.functional.cross_entropy(logits, targets)
        correct = bool((logits.argmax(1) == targets).all())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item(), correct

    figures = timed_training(step, lambda results: results, job["steps"])
    report(figures, framework=f"PyTorch {torch.__version__}", version=torch.__version__, threads=torch.get_num_threads())


if __name__ == "__main__":
    main()
