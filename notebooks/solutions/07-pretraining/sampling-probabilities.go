// Package solutions holds the answers to the "your turn" cells of notebook
// 07-pretraining. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

import (
	"math"
	"slices"
)

// SamplingProbabilities is softmax(logits / temperature) over the topK
// largest logits (topK <= 0: all of them), zero for the others.
func SamplingProbabilities(logits []float32, temperature float64, topK int) []float64 {
	ids := make([]int, len(logits)) // token ids, largest logit first
	for i := range ids {
		ids[i] = i
	}
	slices.SortStableFunc(ids, func(a, b int) int {
		switch {
		case logits[a] > logits[b]:
			return -1
		case logits[a] < logits[b]:
			return 1
		}
		return 0
	})
	if topK > 0 && topK < len(ids) {
		ids = ids[:topK]
	}
	largest := float64(logits[ids[0]]) // subtracted so that exp never overflows
	probs := make([]float64, len(logits))
	var sum float64
	for _, id := range ids {
		probs[id] = math.Exp((float64(logits[id]) - largest) / temperature)
		sum += probs[id]
	}
	for _, id := range ids {
		probs[id] /= sum
	}
	return probs
}
