package retrieval

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

func TestRanks(t *testing.T) {
	for _, c := range []struct{ x, want []float64 }{
		{[]float64{10, 30, 20, 30}, []float64{1, 3.5, 2, 3.5}},
		{[]float64{5, 5, 5}, []float64{2, 2, 2}},                     // all tied: the mean of 1, 2, 3
		{[]float64{2, 1, 2, 1, 3}, []float64{3.5, 1.5, 3.5, 1.5, 5}}, // two ties
		{[]float64{}, []float64{}},
	} {
		if got := Ranks(c.x); !slices.Equal(got, c.want) {
			t.Errorf("Ranks(%v) = %v, want %v", c.x, got, c.want)
		}
	}
}

// TestSpearman checks a case with a tie worked by hand:
//
//	x [1 2 3 4] -> ranks [1 2 3 4], deviations from 2.5: [−1.5 −0.5 0.5 1.5]
//	y [1 3 2 3] -> ranks [1 3.5 2 3.5], deviations: [−1.5 1 −0.5 1]
//	Σ dx·dy = 2.25 − 0.5 − 0.25 + 1.5 = 3;  Σ dx² = 5;  Σ dy² = 4.5
//	ρ = 3 / √(5 · 4.5) = √0.4 = 0.632455532...
//
// (SciPy's spearmanr([1,2,3,4], [1,3,2,3]) gives the same, as it averages
// tied ranks too.) And the cases every rank correlation must get right:
// any increasing function gives 1, any decreasing one −1.
func TestSpearman(t *testing.T) {
	if got := Spearman([]float64{1, 2, 3, 4}, []float64{1, 3, 2, 3}); math.Abs(got-math.Sqrt(0.4)) > 1e-12 {
		t.Errorf("hand case: %.12f, want %.12f", got, math.Sqrt(0.4))
	}
	x := []float64{0.1, 0.5, 0.2, 0.9, 0.3}
	cubes, negated := make([]float64, len(x)), make([]float64, len(x))
	for i, v := range x {
		cubes[i], negated[i] = v*v*v, -v
	}
	if got := Spearman(x, cubes); math.Abs(got-1) > 1e-12 {
		t.Errorf("increasing: %v, want 1", got)
	}
	if got := Spearman(x, negated); math.Abs(got+1) > 1e-12 {
		t.Errorf("decreasing: %v, want -1", got)
	}
	if got := Pearson([]float64{1, 2, 3}, []float64{2, 4, 7}); math.Abs(got-0.9933992677987828) > 1e-12 {
		t.Errorf("Pearson = %.16f, want 0.9933992677987828 (the formula in Python float64)", got)
	}
}

func TestLoadKorSTS(t *testing.T) {
	needFAQ(t)
	for split, n := range map[string]int{"train": 5749, "dev": 1500, "test": 1379} {
		pairs, err := LoadKorSTS(split)
		if err != nil {
			t.Fatal(err)
		}
		if len(pairs) != n {
			t.Errorf("%s: %d pairs, want %d", split, len(pairs), n)
		}
	}
	train, _ := LoadKorSTS("train")
	if p := train[0]; p.A != "비행기가 이륙하고 있다." || p.B != p.A || p.Score != 5 {
		t.Errorf("first training pair %+v", p)
	}
	if _, err := LoadKorSTS("valid"); err == nil {
		t.Error("LoadKorSTS(valid) gave no error")
	}
}

// TestSTSSpearman: with the toy embedder, cosines of (east, north-east),
// (east, north), (east, west) are 0.707, 0, −1; gold scores in the same
// order give 1, in the reverse order −1.
func TestSTSSpearman(t *testing.T) {
	pairs := []STSPair{{"east", "north-east", 4}, {"east", "north", 2}, {"east", "west", 0}}
	rho, cos, err := STSSpearman(toy, pairs)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1 / math.Sqrt2, 0, -1}
	for i := range want {
		if math.Abs(cos[i]-want[i]) > 1e-6 {
			t.Errorf("cosine %d = %.6f, want %.6f", i, cos[i], want[i])
		}
	}
	if rho != 1 {
		t.Errorf("Spearman %v, want 1", rho)
	}
	pairs[0].Score, pairs[2].Score = 0, 4
	if rho, _, _ := STSSpearman(toy, pairs); rho != -1 {
		t.Errorf("reversed scores: Spearman %v, want -1", rho)
	}
}

func ExampleRanks() {
	fmt.Println(Ranks([]float64{10, 30, 20, 30}))
	// Output: [1 3.5 2 3.5]
}

func ExampleSpearman() {
	fmt.Printf("%.4f %.4f\n", Spearman([]float64{1, 2, 3, 4}, []float64{10, 20, 40, 30}), Spearman([]float64{1, 2, 3}, []float64{1, 8, 27}))
	// Output: 0.8000 1.0000
}

func ExamplePearson() {
	fmt.Printf("%.4f\n", Pearson([]float64{1, 2, 3}, []float64{2, 4, 7}))
	// Output: 0.9934
}

func ExampleSTSSpearman() {
	table := toyEmbedder{"a cat sleeps": {1, 0}, "a cat naps": {0.9, 0.1}, "stocks fell": {0, 1}}
	rho, cos, err := STSSpearman(table, []STSPair{{"a cat sleeps", "a cat naps", 4.6}, {"a cat sleeps", "stocks fell", 0.2}})
	fmt.Printf("%.2f %.3f %v\n", rho, cos, err)
	// Output: 1.00 [0.994 0.000] <nil>
}

// ExampleLoadKorSTS needs the data folder (BAEUM_DATA=../shared/data), so
// it is compiled but not run; TestLoadKorSTS checks the same.
func ExampleLoadKorSTS() {
	pairs, err := LoadKorSTS("test")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pairs), pairs[0]) // 1379 {한 소녀가 머리를 스타일링하고 있다. 한 소녀가 머리를 빗고 있다. 2.5}
}
