//go:build unix

package mlx

import "syscall"

// pageFaults is the process's count of minor page faults so far (pages
// the kernel had to map and zero on first touch), or false where it
// cannot be read.
func pageFaults() (int64, bool) {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0, false
	}
	return int64(u.Minflt), true
}
