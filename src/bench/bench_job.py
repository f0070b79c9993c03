"""Shared by the bench's native anchors (reference.py for PyTorch, jax_reference.py for JAX).

A job arrives as one JSON object on stdin: {"weights": <path of a factual-recall-weights v1 file>,
"targets": [N·R ints, relation-major], "lr": float, "steps": int, "threads": int, "dtype": "float32" |
"float64"}. Both scripts train from exactly those initial weights with the same timing loop, so their
figures compare with each other and with our Node run (src/bench/node.ts), which also times every step
after the first and reads its results back every 10 steps.
"""
import json
import sys
import time


def read_job():
    """The job, the model's config and its tensors ({name: {"shape", "data"}})."""
    job = json.load(sys.stdin)
    with open(job["weights"]) as f:
        file = json.load(f)
    c = file["config"]
    if c["heads"] != 1 or c["seqLen"] != 2:
        raise SystemExit("reference: only heads=1, seqLen=2 models")
    return job, c, file["tensors"]


def timed_training(step, fetch, steps, read_every=10):
    """Runs `step()` `steps` times. The first step (compilation, first allocations) is timed apart;
    steps/s counts the rest. `fetch(results)` turns a list of step results into host (loss, correct)
    pairs; it is called after the first step, then every `read_every` steps, so a framework that
    dispatches asynchronously (JAX) is not forced to wait after each step."""
    losses = []
    found = {"step": None, "seconds": None}
    begun = time.perf_counter()

    def consume(results, first_index):
        for i, (loss, correct) in enumerate(fetch(results)):
            losses.append(float(loss))
            if correct and found["step"] is None:
                found["step"] = first_index + i
                found["seconds"] = time.perf_counter() - begun

    consume([step()], 0)
    started = time.perf_counter()
    done = 1
    while done < steps:
        k = min(read_every, steps - done)
        consume([step() for _ in range(k)], done)
        done += k
    seconds = time.perf_counter() - started
    return {
        "losses": losses,
        "stepsPerSecond": (steps - 1) / seconds if steps > 1 and seconds > 0 else None,
        "stepsTo100": found["step"],
        "secondsTo100": found["seconds"],
    }


def report(figures, **extra):
    print(json.dumps({**figures, **extra}))
