package pretrain

import (
	"math"
	"math/rand/v2"
)

// MaskRate and the 80/10/10 split are BERT's recipe (Devlin et al. 2019,
// section 3.1): 15% of the tokens are chosen for prediction; of those, 80%
// are replaced by [MASK], 10% by a random token and 10% left unchanged, so
// that the model cannot learn that only [MASK] positions matter (there is no
// [MASK] at fine-tuning time).
const (
	MaskRate                 = 0.15
	MaskedShare, RandomShare = 0.8, 0.1
)

// Masked is one sequence after masking: the input the model reads, and up
// to maxPredictions (position, original token) pairs it must predict;
// Weights is 1 for real predictions and 0 for the padding ones.
type Masked struct {
	Input     []int32
	Positions []int32
	Labels    []int32
	Weights   []float32
}

// Mask applies BERT's masking to tokens (special tokens are never chosen):
// round(15%) of the other positions, at least one and at most
// maxPredictions, chosen at random; random replacements are drawn from the
// non-special tokens of a vocabulary of vocabSize.
//
//	[CLS] 이 영화 정말 재미 ##있어요 [SEP] ... -> [CLS] 이 영화 [MASK] 재미 ##있어요 [SEP] ..., predict 정말 at 3
func Mask(tokens []int32, vocabSize, maxPredictions int, rng *rand.Rand) Masked {
	m := Masked{Input: append([]int32(nil), tokens...), Positions: make([]int32, maxPredictions),
		Labels: make([]int32, maxPredictions), Weights: make([]float32, maxPredictions)}
	var candidates []int32
	for i, t := range tokens {
		if t >= numSpecial {
			candidates = append(candidates, int32(i))
		}
	}
	n := min(maxPredictions, max(1, int(math.Round(MaskRate*float64(len(candidates))))))
	if len(candidates) == 0 {
		return m
	}
	rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	for k, pos := range candidates[:min(n, len(candidates))] {
		m.Positions[k], m.Labels[k], m.Weights[k] = pos, tokens[pos], 1
		switch MaskDecision(rng.Float64()) {
		case ToMask:
			m.Input[pos] = maskID
		case ToRandom:
			m.Input[pos] = int32(numSpecial + rng.IntN(vocabSize-numSpecial))
		case Unchanged:
		}
	}
	return m
}

// MaskChoice is what happens to a token chosen for prediction.
type MaskChoice int

const (
	ToMask    MaskChoice = iota // replaced by [MASK] (80%)
	ToRandom                    // replaced by a random token (10%)
	Unchanged                   // left as it is (10%)
)

func (c MaskChoice) String() string { return [...]string{"[MASK]", "random", "unchanged"}[c] }

// MaskDecision turns u, uniform in [0, 1), into BERT's 80/10/10 choice:
// the first 80% of the interval mask, the next 10% draw a random token,
// the last 10% keep the token.
//
//	MaskDecision(0.5) = ToMask, MaskDecision(0.85) = ToRandom, MaskDecision(0.95) = Unchanged
func MaskDecision(u float64) MaskChoice {
	switch {
	case u < MaskedShare:
		return ToMask
	case u < MaskedShare+RandomShare:
		return ToRandom
	}
	return Unchanged
}
