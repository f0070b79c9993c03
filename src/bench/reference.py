"""PyTorch reference of the one-layer model (docs/science.md §2), for the benchmark only.

Reads a JSON job on stdin: {"weights": <path of a factual-recall-weights v1 file>, "targets": [N·R ints,
relation-major], "lr": float, "steps": int, "threads": int, "dtype": "float32" | "float64"}. Trains full-batch Adam from exactly those
initial weights, the same maths as src/core/model.ts (row vectors, x·W; one head; sequence [s, r];
the last position attends to both; ReLU MLP with a residual; logits = z·Uᵀ; mean cross-entropy), and
prints one JSON line: the loss of every step, steps/s (after one warm-up step), and the step at which
every fact was first right (and the seconds until then, warm-up included).
"""
import json
import sys
import time

import torch


def main() -> None:
    job = json.load(sys.stdin)
    torch.set_num_threads(int(job.get("threads", 1)))
    with open(job["weights"]) as f:
        file = json.load(f)
    c = file["config"]
    n, r, d = c["n"], c["r"], c["d"]
    if c["heads"] != 1 or c["seqLen"] != 2:
        raise SystemExit("reference: only heads=1, seqLen=2 models")
    dtype = torch.float64 if job.get("dtype") == "float64" else torch.float32
    w = {k: torch.tensor(v["data"], dtype=dtype).reshape(v["shape"]).requires_grad_(True) for k, v in file["tensors"].items()}
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
        return float(loss), correct

    losses = []
    steps_to_100 = None
    begun = time.perf_counter()
    loss, correct = step()  # warm-up, counted in the curve but not in the timing
    losses.append(loss)
    reached_at = None
    if correct:
        steps_to_100 = 0
        reached_at = time.perf_counter() - begun
    started = time.perf_counter()
    for i in range(1, job["steps"]):
        loss, correct = step()
        losses.append(loss)
        if correct and steps_to_100 is None:
            steps_to_100 = i
            reached_at = time.perf_counter() - begun
    seconds = time.perf_counter() - started
    print(json.dumps({
        "losses": losses,
        "stepsPerSecond": (job["steps"] - 1) / seconds if seconds > 0 else None,
        "stepsTo100": steps_to_100,
        "secondsTo100": reached_at,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
    }))


if __name__ == "__main__":
    main()
