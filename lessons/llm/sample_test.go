package llm

import (
	"slices"
	"testing"
)

func TestTopP(t *testing.T) {
	probs := []float64{0.1, 0.5, 0.05, 0.3, 0.05}
	for _, c := range []struct {
		p    float64
		want []int
	}{
		{0.4, []int{1}},           // the most likely alone passes 0.4
		{0.5, []int{1}},           // exactly p is enough
		{0.8, []int{1, 3}},        // 0.5 + 0.3
		{0.85, []int{1, 3, 0}},    // + 0.1
		{1, []int{1, 3, 0, 2, 4}}, // everything; the tie keeps the lower id first
		{0, []int{1}},             // never empty
	} {
		if got := TopP(probs, c.p); !slices.Equal(got, c.want) {
			t.Errorf("TopP(p=%v) = %v, want %v", c.p, got, c.want)
		}
	}
}

func TestSampler(t *testing.T) {
	logits := []float32{1, 3, 2, 3.5}
	if got := Greedy().Next(logits); got != 3 {
		t.Errorf("greedy took %d, want 3", got)
	}
	// with top-p 0.5 at temperature 1 only token 3 (p = 0.55) can come out
	s := Sample(1, 0.5, 7)
	for range 50 {
		if got := s.Next(logits); got != 3 {
			t.Fatalf("top-p 0.5 sampled %d", got)
		}
	}
	// a high temperature and p = 1: every token turns up
	seen := map[int]bool{}
	s = Sample(5, 1, 7)
	for range 400 {
		seen[s.Next(logits)] = true
	}
	if len(seen) != 4 {
		t.Errorf("temperature 5 sampled only %v", seen)
	}
}
