#!/usr/bin/env python3
"""JAX side of mlx's BenchmarkMatMul: the same graph (20 products of a shifted
[m,k] input with one [k,n] matrix, each summed), compiled by the XLA inside
jaxlib instead of the PJRT CPU plugin that Baeum loads. Same compiler family,
newer build: the difference between the two is the plugin's, not GoMLX's.

    python3 -m venv /tmp/jaxvenv && /tmp/jaxvenv/bin/pip install jax
    /tmp/jaxvenv/bin/python bench/jax_matmul.py
"""
import time

import jax
import jax.numpy as jnp

SHAPES = [(768, 128, 128), (768, 128, 512), (768, 512, 128), (128, 768, 128), (128, 768, 512)]
PRODUCTS = 20


def main():
    for m, k, n in SHAPES:
        a = (jnp.arange(m * k, dtype=jnp.float32) % 13 * 0.01).reshape(m, k)
        w = (jnp.arange(k * n, dtype=jnp.float32) % 13 * 0.01).reshape(k, n)

        @jax.jit
        def products(a, w):
            total = jnp.float32(0)
            for i in range(PRODUCTS):
                total = total + jnp.sum((a + i) @ w)
            return total

        products(a, w).block_until_ready()  # compile
        count = 100
        start = time.perf_counter()
        for _ in range(count):
            products(a, w).block_until_ready()
        sec = time.perf_counter() - start
        print(f"{m}x{k}x{n}: {count * PRODUCTS * 2 * m * k * n / sec / 1e9:.1f} GFLOP/s")
    print(f"jax {jax.__version__} on {jax.devices()[0].platform}")


if __name__ == "__main__":
    main()
