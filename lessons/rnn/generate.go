package rnn

import (
	"fmt"
	"math"
	"math/rand"
	"sort"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// State is the LSTM's memory after some text: hidden h and cell c, 128
// numbers each. It is all the model knows about the text so far.
type State struct{ H, C []float32 }

func zeroState() State { return State{H: make([]float32, HiddenDim), C: make([]float32, HiddenDim)} }

// Step feeds one character id with the state so far and returns the logits
// of the next character and the new state: the recurrence, run on the host
// one character at a time (the pure-Go backend has no dynamic slicing for a
// cache, and a host loop is the clearest way to see the state move).
func (lm *LM) Step(id int32, s State) (logits []float32, next State, err error) {
	if lm.step == nil {
		e, err := model.NewExec(lm.backend, lm.Store, func(scope *model.Scope, in []*Node) []*Node {
			logits, h, c := Forward(scope, in[0], lm.Vocab.Size(), in[1], in[2]) // token [1, 1], h and c [1, 1, 128]
			return []*Node{Reshape(logits, -1), Reshape(h, -1), Reshape(c, -1)}
		})
		if err != nil {
			return nil, s, err
		}
		lm.step = e
	}
	out, err := lm.step.Exec(tensors.FromFlatDataAndDimensions([]int32{id}, 1, 1),
		tensors.FromFlatDataAndDimensions(s.H, 1, 1, HiddenDim), tensors.FromFlatDataAndDimensions(s.C, 1, 1, HiddenDim))
	if err != nil {
		return nil, s, fmt.Errorf("rnn.Step: %w", err)
	}
	return tensors.MustCopyFlatData[float32](out[0]),
		State{H: tensors.MustCopyFlatData[float32](out[1]), C: tensors.MustCopyFlatData[float32](out[2])}, nil
}

// Read feeds a whole text and returns the logits after its last character,
// the final state, and the hidden state after every character.
func (lm *LM) Read(text string) (logits []float32, s State, hidden [][]float32, err error) {
	ids, err := lm.Vocab.Encode(text)
	if err != nil {
		return nil, s, nil, err
	}
	if len(ids) == 0 {
		return nil, s, nil, fmt.Errorf("rnn.Read: empty text")
	}
	s = zeroState()
	for _, id := range ids {
		if logits, s, err = lm.Step(id, s); err != nil {
			return nil, s, nil, err
		}
		hidden = append(hidden, s.H)
	}
	return logits, s, hidden, nil
}

// Probabilities turns logits into probabilities at a temperature: below 1 the
// likely characters get likelier (safer, more repetitive text), above 1
// the distribution flattens (more surprising, more mistakes).
func Probabilities(logits []float32, temperature float64) []float64 {
	p := make([]float64, len(logits))
	hi := math.Inf(-1)
	for _, l := range logits {
		hi = max(hi, float64(l))
	}
	sum := 0.0
	for i, l := range logits {
		p[i] = math.Exp((float64(l) - hi) / temperature)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// Generate continues prompt with n characters sampled at the temperature
// (seeded, so the same call gives the same text). The Unknown character is
// never sampled.
func (lm *LM) Generate(prompt string, n int, temperature float64, seed int64) (string, error) {
	logits, s, _, err := lm.Read(prompt)
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewSource(seed))
	out := make([]int32, 0, n)
	for range n {
		p := Probabilities(logits, temperature)
		p[lm.Vocab.ID(Unknown)] = 0
		id := Sample(p, rng.Float64())
		out = append(out, id)
		if logits, s, err = lm.Step(id, s); err != nil {
			return "", err
		}
	}
	return lm.Vocab.Decode(out), nil
}

// Sample picks index i with probability p[i]/sum(p) (never one whose p[i] is
// 0), given a uniform random number u in [0, 1): it walks the cumulative sum
// until it passes u·sum, so each index owns a slice of [0, sum) as wide as
// its probability.
//
//	Sample([0.2 0.3 0.5], 0.1) = 0;  0.45 -> 1 (0.2 ≤ 0.45 < 0.5);  0.99 -> 2
func Sample(p []float64, u float64) int32 {
	sum := 0.0
	for _, v := range p {
		sum += v
	}
	u *= sum
	last := 0 // the last index that can be picked, for when rounding leaves u past the end
	for i, v := range p {
		if v == 0 {
			continue
		}
		if u < v {
			return int32(i)
		}
		u -= v
		last = i
	}
	return int32(last)
}

// Guess is one candidate next character and its probability.
type Guess struct {
	Char string
	Prob float64
}

// Next returns the k likeliest next characters after text.
func (lm *LM) Next(text string, k int) ([]Guess, error) {
	logits, _, _, err := lm.Read(text)
	if err != nil {
		return nil, err
	}
	p := Probabilities(logits, 1)
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	var gs []Guess
	for _, i := range idx[:min(k, len(idx))] {
		gs = append(gs, Guess{Char: lm.Vocab.Token(int32(i)), Prob: p[i]})
	}
	return gs, nil
}
