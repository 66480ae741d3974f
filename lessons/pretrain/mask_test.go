package pretrain

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMaskStatistics draws the masking of a 64-token sequence 20,000 times
// and checks BERT's proportions: 15% of the ordinary tokens chosen (9 of
// 60 here), of which 80% [MASK], 10% random, 10% unchanged, each within a
// tolerance of about 5 standard errors, and special tokens never chosen.
func TestMaskStatistics(t *testing.T) {
	const vocab, draws = 1000, 20000
	tokens := make([]int32, 64)
	for i := range tokens {
		tokens[i] = int32(numSpecial + i%50)
	}
	tokens[0], tokens[30], tokens[61], tokens[62], tokens[63] = clsID, sepID, sepID, padID, padID // 60 ordinary tokens
	rng := rand.New(rand.NewPCG(1, 2))
	var chosen, masked, random, unchanged float64
	perPosition := make([]float64, len(tokens))
	for range draws {
		m := Mask(tokens, vocab, 20, rng)
		for k, w := range m.Weights {
			if w == 0 {
				continue
			}
			pos := m.Positions[k]
			if tokens[pos] < numSpecial {
				t.Fatalf("special token at %d chosen", pos)
			}
			if m.Labels[k] != tokens[pos] {
				t.Fatalf("label %d at %d, the original token is %d", m.Labels[k], pos, tokens[pos])
			}
			chosen++
			perPosition[pos]++
			switch in := m.Input[pos]; {
			case in == maskID:
				masked++
			case in == tokens[pos]:
				unchanged++ // includes random draws of the same token: 1/995 of the random ones
			default:
				random++
			}
		}
	}
	check := func(name string, got, want, tol float64) {
		if math.Abs(got-want) > tol {
			t.Errorf("%s: %.4f, want %.4f ± %.4f", name, got, want, tol)
		}
	}
	check("share of ordinary tokens chosen", chosen/(draws*60), 9.0/60, 1e-9) // round(0.15·60) = 9 exactly
	check("[MASK] share", masked/chosen, 0.8, 5*math.Sqrt(0.8*0.2/chosen))
	check("random share", random/chosen, 0.1, 5*math.Sqrt(0.1*0.9/chosen))
	check("unchanged share", unchanged/chosen, 0.1, 5*math.Sqrt(0.1*0.9/chosen)+0.1/995)
	for pos, n := range perPosition { // every ordinary position is equally likely: 9/60 of the draws
		if tokens[pos] >= numSpecial {
			check("position chosen", n/draws, 0.15, 5*math.Sqrt(0.15*0.85/draws))
		}
	}
}

// TestMaskDecision: the 80/10/10 cut points, including the edges.
func TestMaskDecision(t *testing.T) {
	for _, c := range []struct {
		u    float64
		want MaskChoice
	}{{0, ToMask}, {0.5, ToMask}, {0.7999, ToMask}, {0.8, ToRandom}, {0.85, ToRandom}, {0.9, Unchanged}, {0.9999, Unchanged}} {
		if got := MaskDecision(c.u); got != c.want {
			t.Errorf("MaskDecision(%g) = %v, want %v", c.u, got, c.want)
		}
	}
}
