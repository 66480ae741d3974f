// Package codesample is what the show.Code tests read.
package codesample

import "strings"

// Greeting says hello to name.
func Greeting(name string) string {
	return "hello, " + name // a comment & <markup>
}

// Counter counts.
type Counter struct{ n int }

// Add adds k.
func (c *Counter) Add(k int) { c.n += k }

// Stack is generic.
type Stack[T any] struct{ items []T }

// Push pushes v.
func (s *Stack[T]) Push(v T) { s.items = append(s.items, v) }

// Map applies f to each element.
func Map[In, Out any](xs []In, f func(In) Out) []Out {
	out := make([]Out, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

// Sizes of things.
const (
	Small = 1
	Large = 100
)

var upper = strings.ToUpper
