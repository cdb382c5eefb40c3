#!/usr/bin/python3
"""float32 matmul GFLOP/s of PyTorch (OpenBLAS) on the LSTM gate shapes, one thread.

The same shapes as the JMH MatmulBenchmark: C[m,n] = A[m,k] . B[k,n], 2 m k n FLOPs per call.
Run as the BENCHMARKS.md command says (OpenBLAS installed, OPENBLAS_CORETYPE unset).
"""
import time

import torch

SHAPES = [(64, 256, 1024), (64, 320, 1024), (3840, 256, 96), (64, 1024, 256)]


def gflops(m, k, n, seconds=2.0):
    a = torch.rand(m, k)
    b = torch.rand(k, n)
    c = torch.empty(m, n)
    for _ in range(50):
        torch.matmul(a, b, out=c)
    calls = 0
    began = time.perf_counter()
    while time.perf_counter() - began < seconds:
        for _ in range(20):
            torch.matmul(a, b, out=c)
        calls += 20
    return 2.0 * m * k * n * calls / (time.perf_counter() - began) / 1e9


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(f"PyTorch {torch.__version__}, 1 thread")
    for m, k, n in SHAPES:
        print(f"| {m}x{k}x{n} | {gflops(m, k, n):.1f} |")
