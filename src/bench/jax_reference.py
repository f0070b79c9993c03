"""JAX reference of the one-layer model, for the benchmark only: the same maths as reference.py
(PyTorch) and src/core/model/model.ts, the whole training step — forward, gradient and optax's Adam
(β = 0.9, 0.999, ε = 1e-8, as torch.optim.Adam) — compiled as one `jax.jit` function, which is how
JAX users write it. The job (stdin), the timing loop and the output line are bench_job.py's; the first
step, which compiles, is timed apart. Threads are set by the caller (XLA_FLAGS, taskset) before start.
float64 (jax_enable_x64) is there to check the maths against PyTorch's float64 run, not for speed.
"""
import os

import jax
import jax.numpy as jnp
import numpy as np
import optax

from bench_job import read_job, report, timed_training


def main() -> None:
    job, c, tensors = read_job()
    dtype = np.float64 if job.get("dtype") == "float64" else np.float32
    if dtype == np.float64:
        jax.config.update("jax_enable_x64", True)
    n, r, d = c["n"], c["r"], c["d"]
    w = {k: jnp.asarray(np.asarray(v["data"], dtype=dtype).reshape(v["shape"])) for k, v in tensors.items()}
    targets = jnp.asarray(np.asarray(job["targets"], dtype=np.int32))
    subjects = jnp.tile(jnp.arange(n), r)  # relation-major: index r·N + s
    relations = jnp.repeat(jnp.arange(r), n)
    scale = 1.0 / d**0.5
    opt = optax.adam(job["lr"], b1=0.9, b2=0.999, eps=1e-8)

    def loss_fn(w):
        x0 = w["subjectEmbedding"][subjects] + w["positionEmbedding"][0]
        x1 = w["relationEmbedding"][relations] + w["positionEmbedding"][1]
        q = x1 @ w["attention.query"]
        k = jnp.stack([x0 @ w["attention.key"], x1 @ w["attention.key"]])  # [2, B, d]
        v = jnp.stack([x0 @ w["attention.value"], x1 @ w["attention.value"]])
        scores = (k * q).sum(-1) * scale  # [2, B]
        att = jax.nn.softmax(scores, axis=0)[..., None]
        h = x1 + (att * v).sum(0) @ w["attention.output"]
        hidden = jax.nn.relu(h @ w["mlp.in"] + w["mlp.bias"])
        z = h + hidden @ w["mlp.out"]
        logits = z @ w["attributeVectors"].T
        loss = optax.softmax_cross_entropy_with_integer_labels(logits, targets).mean()
        correct = jnp.all(jnp.argmax(logits, axis=1) == targets)
        return loss, correct

    def train_step(w, state):
        (loss, correct), grads = jax.value_and_grad(loss_fn, has_aux=True)(w)
        updates, state = opt.update(grads, state, w)
        return optax.apply_updates(w, updates), state, loss, correct

    # Donating the weights and Adam's moments lets XLA update them in place.
    compiled = jax.jit(train_step, donate_argnums=(0, 1))
    carry = {"w": w, "state": opt.init(w)}

    def step():
        carry["w"], carry["state"], loss, correct = compiled(carry["w"], carry["state"])
        return loss, correct

    def fetch(results):
        return [(float(loss), bool(correct)) for loss, correct in jax.device_get(results)]

    figures = timed_training(step, fetch, job["steps"])
    report(
        figures,
        framework=f"JAX {jax.__version__}",
        version=jax.__version__,
        threads=len(os.sched_getaffinity(0)),
        xlaFlags=os.environ.get("XLA_FLAGS", ""),
    )


if __name__ == "__main__":
    main()
