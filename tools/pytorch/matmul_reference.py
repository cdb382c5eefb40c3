#!/usr/bin/python3
"""float32 matmul GFLOP/s of PyTorch (OpenBLAS) on the LSTM gate shapes, one thread.

The same shapes as the JMH MatmulBenchmark: C[m,n] = A[m,k] . B[k,n], 2 m k n FLOPs per call.
Run as the BENCHMARKS.md command says (OpenBLAS installed, OPENBLAS_CORETYPE unset).

One thread means one thread: torch.set_num_threads(1) limits PyTorch's own pool but not
OpenBLAS's, which Debian's torch calls for matmul and which starts one thread per core. So
OPENBLAS_NUM_THREADS is set before torch is imported, and every line reports CPU time over wall
time, which is 1.00 for one busy core and about 2 when OpenBLAS has both.
"""
import os
import sys
import time

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
os.environ["OPENBLAS_NUM_THREADS"] = threads
os.environ["OMP_NUM_THREADS"] = threads

import torch  # noqa: E402  (after the environment above, which OpenBLAS reads when loaded)

SHAPES = [(64, 256, 1024), (64, 320, 1024), (3840, 256, 96), (64, 1024, 256)]


def gflops(m, k, n, seconds=2.0):
    a = torch.rand(m, k)
    b = torch.rand(k, n)
    c = torch.empty(m, n)
    for _ in range(50):
        torch.matmul(a, b, out=c)
    calls = 0
    began = time.perf_counter()
    began_cpu = time.process_time()
    while time.perf_counter() - began < seconds:
        for _ in range(20):
            torch.matmul(a, b, out=c)
        calls += 20
    wall = time.perf_counter() - began
    cpu = time.process_time() - began_cpu
    return 2.0 * m * k * n * calls / wall / 1e9, cpu / wall


if __name__ == "__main__":
    torch.set_num_threads(int(threads))
    print(f"PyTorch {torch.__version__}, {threads} thread(s)")
    print("| shape m x k x n | GFLOP/s | CPU time / wall time |")
    print("|---|---:|---:|")
    for m, k, n in SHAPES:
        rate, busy = gflops(m, k, n)
        print(f"| {m}x{k}x{n} | {rate:.1f} | {busy:.2f} |")
