package corpus

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestShingles(t *testing.T) {
	tests := []struct {
		doc  string
		k    int
		want []string
	}{
		{"정말 재밌다", 3, []string{"정말재", "말재밌", "재밌다"}},
		{"abab", 2, []string{"ab", "ba"}}, // "ab" twice, listed once
		{"ABC", 2, []string{"ab", "bc"}},  // lower-cased
		{"ab", 5, []string{"ab"}},         // shorter than k: one shingle
		{" \n ", 3, nil},
		{"abc", 0, []string{"a", "b", "c"}}, // k < 1 means 1
	}
	for _, tt := range tests {
		if got := Shingles(tt.doc, tt.k); !slices.Equal(got, tt.want) {
			t.Errorf("Shingles(%q, %d) = %q, want %q", tt.doc, tt.k, got, tt.want)
		}
	}
}

func TestJaccard(t *testing.T) {
	// Worked by hand: {ab,bc,cd} and {ab,bc,ce} share 2 of 4 shingles.
	tests := []struct {
		a, b string
		k    int
		want float64
	}{
		{"abcd", "abce", 2, 2.0 / 4},
		{"abcd", "abcd", 2, 1},
		{"abcd", "ABC D", 2, 1}, // case and spaces do not count
		{"abcd", "wxyz", 2, 0},
		{"", "", 3, 1},
		{"", "abc", 3, 0},
		{"영화 최고", "영화 최악", 2, 2.0 / 4}, // {영화,화최,최고} vs {영화,화최,최악}
	}
	for _, tt := range tests {
		if got := Jaccard(tt.a, tt.b, tt.k); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Jaccard(%q, %q, %d) = %v, want %v", tt.a, tt.b, tt.k, got, tt.want)
		}
	}
}

// TestMulMod61 compares the fast modular product with math/big.
func TestMulMod61(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	p := new(big.Int).SetUint64(mersenne61)
	cases := [][2]uint64{{0, 5}, {1, mersenne61 - 1}, {mersenne61 - 1, mersenne61 - 1}, {1 << 60, 1 << 60}}
	for range 1000 {
		cases = append(cases, [2]uint64{rng.Uint64N(mersenne61), rng.Uint64N(mersenne61)})
	}
	for _, c := range cases {
		want := new(big.Int).Mul(new(big.Int).SetUint64(c[0]), new(big.Int).SetUint64(c[1]))
		want.Mod(want, p)
		if got := mulMod61(c[0], c[1]); got != want.Uint64() {
			t.Fatalf("mulMod61(%d, %d) = %d, want %d", c[0], c[1], got, want.Uint64())
		}
	}
}

// TestEstimateJaccard checks MinHash's promise: the share of equal
// signature positions estimates the Jaccard similarity, with a standard
// error of sqrt(J(1-J)/n); with n = 2000 that is at most 0.011, and the
// test allows 4 of them.
func TestEstimateJaccard(t *testing.T) {
	const n, k = 2000, 3
	m := NewMinHasher(n, 42)
	pairs := [][2]string{
		{"배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화입니다", "배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화였어요"},
		{"배우들의 연기가 정말 좋았고 음악도 훌륭했던 영화입니다", "스토리가 너무 지루해서 중간에 잠들어 버렸습니다"},
		{"the quick brown fox jumps over the lazy dog", "the quick brown fox jumped over a lazy dog"},
	}
	for _, p := range pairs {
		exact := Jaccard(p[0], p[1], k)
		est := EstimateJaccard(m.Signature(p[0], k), m.Signature(p[1], k))
		if se := math.Sqrt(max(exact*(1-exact), 0.01) / n); math.Abs(est-exact) > 4*se {
			t.Errorf("%q vs %q: estimate %.3f, exact %.3f (allowed ±%.3f)", p[0], p[1], est, exact, 4*se)
		}
	}
	a := m.Signature("같은 문서", k)
	if EstimateJaccard(a, m.Signature("같은  문서", k)) != 1 {
		t.Error("identical texts must have identical signatures")
	}
	if EstimateJaccard(nil, nil) != 0 {
		t.Error("empty signatures estimate 0")
	}
	if !slices.Equal(a, NewMinHasher(n, 42).Signature("같은 문서", k)) {
		t.Error("the same seed must give the same signature")
	}
}

func TestSCurve(t *testing.T) {
	// Values computed by hand from 1-(1-s^r)^b.
	tests := []struct {
		s    float64
		b, r int
		want float64
	}{
		{0, 24, 3, 0},
		{1, 24, 3, 1},
		{0.5, 24, 3, 1 - math.Pow(0.875, 24)}, // 0.9596
		{0.5, 1, 1, 0.5},
		{0.8, 20, 5, 1 - math.Pow(1-0.32768, 20)},
	}
	for _, tt := range tests {
		if got := SCurve(tt.s, tt.b, tt.r); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("SCurve(%v, %d, %d) = %v, want %v", tt.s, tt.b, tt.r, got, tt.want)
		}
	}
	if got := LSHThreshold(24, 3); math.Abs(got-0.34668) > 1e-5 {
		t.Errorf("LSHThreshold(24, 3) = %v, want 0.34668", got)
	}
	if got := LSHThreshold(20, 5); math.Abs(got-0.54928) > 1e-5 {
		t.Errorf("LSHThreshold(20, 5) = %v, want 0.54928", got)
	}
	for s := 0.0; s < 1; s += 0.05 { // the curve rises
		if SCurve(s, 24, 3) > SCurve(s+0.05, 24, 3) {
			t.Errorf("SCurve falls between %v and %v", s, s+0.05)
		}
	}
}

// TestSignatureByHand: a signature built from Shingles and Hash, the way the
// notebook's exercise builds it, equals Signature; and the Jaccard index of
// the Shingles string sets equals Jaccard (which compares shingle hashes).
func TestSignatureByHand(t *testing.T) {
	m := NewMinHasher(16, 3)
	docs := []string{"정말 재밌다", "정말 재밌다!!", "ABC d", "ab", "", "the same text, the same text"}
	for _, doc := range docs {
		want := m.Signature(doc, 3)
		got := make([]uint64, m.NumHashes())
		for i := range got {
			got[i] = math.MaxUint64
			for _, sh := range Shingles(doc, 3) {
				got[i] = min(got[i], m.Hash(i, sh))
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("by hand %q: %v, Signature %v", doc, got, want)
		}
	}
	for _, a := range docs {
		for _, b := range docs {
			sa, sb := Shingles(a, 3), Shingles(b, 3)
			inter := 0
			for _, s := range sa {
				if slices.Contains(sb, s) {
					inter++
				}
			}
			want := 1.0 // two empty sets
			if union := len(sa) + len(sb) - inter; union > 0 {
				want = float64(inter) / float64(union)
			}
			if got := Jaccard(a, b, 3); got != want {
				t.Errorf("Jaccard(%q, %q) = %v, from the shingle strings %v", a, b, got, want)
			}
		}
	}
}
