package pretrain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/baeum-go/baeum/lessons/rnn"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Generate continues prompt by n characters. It is a host-side loop around
// one compiled forward pass: the last MaxLen characters (or fewer, at the
// start) sit at the front of a fixed [1, MaxLen] window, the model gives
// the logits of the next character at the last real position (the causal
// mask makes the rest of the window irrelevant), and one character is drawn
// from softmax(logits / temperature) restricted to the topK most likely
// (topK <= 0 keeps all). No key/value cache: each step recomputes the
// window, which at this size costs a few milliseconds.
func (g *GPT) Generate(backend compute.Backend, prompt string, n int, temperature float64, topK int, seed uint64) (string, error) {
	ids, err := g.Vocab.Encode(prompt)
	if err != nil {
		return "", err
	}
	if len(ids) == 0 || temperature <= 0 {
		return "", fmt.Errorf("pretrain.Generate: need a non-empty prompt and a positive temperature")
	}
	exec, err := model.NewExec(backend, g.Store, func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		return transformer.DecoderOnly(scope, tokens, g.Config) // [1, MaxLen, vocab]
	})
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewPCG(seed, 5))
	window := make([]int32, g.Config.MaxLen)
	for range n {
		context := ids[max(0, len(ids)-g.Config.MaxLen):]
		copy(window, context)
		out, err := exec.Exec(tensors.FromFlatDataAndDimensions(window, 1, g.Config.MaxLen))
		if err != nil {
			return "", fmt.Errorf("pretrain.Generate: %w", err)
		}
		logits := tensors.MustCopyFlatData[float32](out[0])
		v := g.Config.TgtVocab
		last := len(context) - 1
		ids = append(ids, Sample(logits[last*v:(last+1)*v], temperature, topK, rng))
	}
	return g.Vocab.Decode(ids), nil
}

// Sample draws a token id from Probabilities(logits, temperature, topK),
// with lesson 04's rnn.Sample (the cumulative walk).
//
//	logits [2 1 0], temperature 1, topK 2 -> 0 with p=0.73, 1 with p=0.27, never 2
func Sample(logits []float32, temperature float64, topK int, rng *rand.Rand) int32 {
	return rnn.Sample(Probabilities(logits, temperature, topK), rng.Float64())
}

// Probabilities is the distribution Sample draws from, one probability per
// token id: divide the logits by the temperature (< 1 sharpens the
// distribution, > 1 flattens it), keep the topK largest (topK <= 0 keeps
// all; a tie at the cut keeps the smaller id), softmax over those, zero for
// the others. The largest logit is subtracted before exp: the result is the
// same, and exp cannot overflow.
//
//	logits [2 1 0], temperature 1,   topK 2 -> [0.731 0.269 0]
//	logits [2 1 0], temperature 0.5, topK 0 -> [0.867 0.117 0.016]
func Probabilities(logits []float32, temperature float64, topK int) []float64 {
	if topK <= 0 || topK >= len(logits) {
		return rnn.Probabilities(logits, temperature) // lesson 04's softmax at a temperature
	}
	order := make([]int, len(logits)) // token ids, most likely first
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return logits[order[a]] > logits[order[b]] })
	kept := make([]float32, len(logits)) // the topK logits; -∞ (probability 0) for the rest
	for i := range kept {
		kept[i] = float32(math.Inf(-1))
	}
	for _, id := range order[:topK] {
		kept[id] = logits[id]
	}
	return rnn.Probabilities(kept, temperature)
}
