package retrieval

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// KorSTS (Ham et al., "KorNLI and KorSTS: New Benchmark Datasets for Korean
// Natural Language Understanding", 2020) is the STS benchmark translated
// into Korean: pairs of sentences that people scored from 0 (unrelated) to
// 5 (the same meaning). A sentence encoder is measured on it by how well
// the order of its cosine similarities follows the order of the scores:
// Spearman's rank correlation, the number SentenceBERT and SimCSE report.
// Only the order counts, so an encoder whose cosines all sit between 0.8
// and 1 is not punished for it.

// STSPair is a pair of sentences and its gold similarity score, 0 to 5.
type STSPair struct {
	A, B  string
	Score float64
}

// LoadKorSTS reads a split of KorSTS, "train" (5,749 pairs), "dev" (1,500)
// or "test" (1,379): korsts/sts-<split>.tsv, a header line, then
// genre, filename, year, id, score, sentence1, sentence2, tab-separated.
func LoadKorSTS(split string) ([]STSPair, error) {
	name := "sts-" + split + ".tsv"
	if split != "train" && split != "dev" && split != "test" {
		return nil, fmt.Errorf("retrieval: no KorSTS split %q (use \"train\", \"dev\" or \"test\")", split)
	}
	b, err := mlx.ReadDataFile("korsts/" + name)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	out := make([]STSPair, 0, len(lines))
	for i, line := range lines[1:] {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("retrieval: korsts/%s line %d has %d fields, want 7", name, i+2, len(f))
		}
		score, err := strconv.ParseFloat(f[4], 64)
		if err != nil || score < 0 || score > 5 {
			return nil, fmt.Errorf("retrieval: korsts/%s line %d: score %q, want a number from 0 to 5", name, i+2, f[4])
		}
		out = append(out, STSPair{A: f[5], B: f[6], Score: score})
	}
	return out, nil
}

// Ranks gives each value its rank in x, 1 for the smallest; tied values
// share the mean of the ranks they span (average ranks, as SciPy's
// rankdata does by default).
//
//	[10 30 20 30] -> [1 3.5 2 3.5]
func Ranks(x []float64) []float64 {
	order := make([]int, len(x))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case x[a] < x[b]:
			return -1
		case x[a] > x[b]:
			return 1
		}
		return 0
	})
	r := make([]float64, len(x))
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && x[order[j+1]] == x[order[i]] {
			j++
		}
		avg := float64(i+j)/2 + 1 // positions i..j hold ranks i+1..j+1
		for k := i; k <= j; k++ {
			r[order[k]] = avg
		}
		i = j + 1
	}
	return r
}

// Pearson is the correlation coefficient of x and y:
// Σ(xᵢ−x̄)(yᵢ−ȳ) / √(Σ(xᵢ−x̄)² · Σ(yᵢ−ȳ)²); NaN when either is constant.
func Pearson(x, y []float64) float64 {
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx /= float64(len(x))
	my /= float64(len(y))
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	return sxy / math.Sqrt(sxx*syy)
}

// Spearman is Spearman's rank correlation: the Pearson correlation of the
// ranks (Ranks, ties averaged). 1 when y grows whenever x does, −1 when it
// always shrinks.
//
//	x [1 2 3 4], y [10 20 40 30] -> ranks [1 2 3 4], [1 2 4 3] -> 0.8
func Spearman(x, y []float64) float64 {
	return Pearson(Ranks(x), Ranks(y))
}

// STSSpearman embeds both sentences of every pair with e and returns the
// Spearman correlation between their cosine similarities and the gold
// scores, and the cosines.
func STSSpearman(e Embedder, pairs []STSPair) (float64, []float64, error) {
	texts := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		texts = append(texts, p.A, p.B)
	}
	vecs, err := e.Embed(texts)
	if err != nil {
		return 0, nil, err
	}
	cos, gold := make([]float64, len(pairs)), make([]float64, len(pairs))
	for i, p := range pairs {
		a, b := Normalize(vecs[2*i]), Normalize(vecs[2*i+1])
		cos[i], gold[i] = float64(Dot(a, b)), p.Score
	}
	return Spearman(cos, gold), cos, nil
}

// EvaluateSTS is STSSpearman on a split of KorSTS ("test" for the lesson's
// table; "dev" to choose settings without looking at the test).
func EvaluateSTS(e Embedder, split string) (float64, error) {
	pairs, err := LoadKorSTS(split)
	if err != nil {
		return 0, err
	}
	rho, _, err := STSSpearman(e, pairs)
	return rho, err
}
