package solutions

import (
	"math"

	"github.com/baeum-go/baeum/lessons/optimize"
)

// RangeLR multiplies r.Min by (r.Max/r.Min)^(step/r.Steps): the same factor
// at every step.
func RangeLR(r optimize.RangeTest, step int) float64 {
	return r.Min * math.Pow(r.Max/r.Min, float64(step)/float64(r.Steps))
}
