//go:build linux && cgo

package mlx

// #include <malloc.h>
//
// // keepHeap makes glibc's malloc serve every block from its heap and keep
// // freed memory for the next request (no-op where malloc.h lacks the knobs).
// static void keepHeap(void) {
// #if defined(M_MMAP_MAX) && defined(M_TRIM_THRESHOLD)
// 	mallopt(M_MMAP_MAX, 0);
// 	mallopt(M_TRIM_THRESHOLD, 1 << 30);
// #endif
// }
import "C"

// XLA's CPU runtime allocates a training step's whole scratch buffer with
// malloc at every execution and frees it at the end: 41 MiB for lesson 07's
// GPT (see its package doc). glibc serves a block that large with mmap (its
// threshold tops out at 32 MiB) and unmaps it on free, so each step faulted
// in and zeroed ~10,700 fresh pages (measured with perf stat: page faults
// per step 10,765 -> ~0). Keeping such blocks on the heap and not trimming
// it lets the next step reuse the same memory. The cost: memory a process
// has used stays reserved until it exits (a notebook cell's process is
// short-lived).
func init() { C.keepHeap() }
