package nb

import "strings"

// Shout is the solution.
func Shout(s string) string { return strings.ToUpper(s) + "!" }

func helper() {}
