// Package solutions holds the answers to the "your turn" cells of notebook
// 10-transfer. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

import "strings"

// IsBase says whether the variable at path is in the scope "/base/".
func IsBase(path string) bool {
	return strings.HasPrefix(path, "/base/")
}
