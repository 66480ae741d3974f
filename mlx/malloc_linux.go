//go:build linux && cgo

package mlx

// #include <malloc.h>
//
// // keepHeap makes glibc's malloc serve every block from one heap and keep
// // freed memory for the next request (no-op where malloc.h lacks the knobs).
// static void keepHeap(void) {
// #if defined(M_MMAP_MAX) && defined(M_TRIM_THRESHOLD) && defined(M_ARENA_MAX)
// 	mallopt(M_MMAP_MAX, 0);
// 	mallopt(M_TRIM_THRESHOLD, 1 << 30);
// 	mallopt(M_ARENA_MAX, 1);
// #endif
// }
import "C"

// XLA's CPU runtime allocates a training step's whole scratch buffer with
// malloc at every execution and frees it at the end: 41 MiB for lesson 07's
// GPT (see its package doc). glibc serves a block that large with mmap (its
// threshold tops out at 32 MiB) and unmaps it on free, so each step faulted
// in and zeroed ~10,700 fresh pages. Keeping such blocks on the heap and
// not trimming it lets the next step reuse the same memory, but only with
// one arena: XLA's worker threads otherwise allocate from glibc's
// per-thread arenas, whose heaps (64 MiB each) cannot hold the block for
// long and are given back to the kernel when it is freed. Measured with
// BenchmarkGPTTrainStep's faults/step: ~11,000 with the first two settings
// alone, ~0 with M_ARENA_MAX = 1 too (16 -> 19-20 steps/s). The cost:
// memory a process has used stays reserved until it exits (a notebook
// cell's process is short-lived), and threads share one arena's lock
// (nothing measurable with XLA's few threads).
func init() { C.keepHeap() }
