//go:build !unix

package mlx

func pageFaults() (int64, bool) { return 0, false }
