// Package solutions holds the answers to the "your turn" cells of notebook
// 06-transformer. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

import (
	"math"

	"github.com/baeum-go/baeum/lessons/transformer"
)

// LearningRateAt rises linearly from MinLR to LearningRate during the
// warm-up, then follows half a cosine back down to MinLR at step Steps.
func LearningRateAt(s transformer.Schedule, step int) float64 {
	span := s.LearningRate - s.MinLR
	if step < s.Warmup {
		return s.MinLR + span*float64(step)/float64(s.Warmup)
	}
	t := float64(step-s.Warmup) / float64(s.Steps-s.Warmup) // 0 -> 1 during the decay
	return s.MinLR + span*(1+math.Cos(math.Pi*t))/2
}
