package corpus

import (
	"fmt"
	"slices"
	"time"
)

// Evaluation scores found pairs against the true pairs.
type Evaluation struct {
	Truth, Found, Correct int
	Recall                float64 // Correct / Truth: how many true pairs were found
	Precision             float64 // Correct / Found: how many found pairs are true
	Missed                []Pair  // true pairs not found (with their Jaccard)
	Wrong                 []Pair  // found pairs that are not true
}

func (e Evaluation) String() string {
	return fmt.Sprintf("recall %.4f (%d of %d true pairs found), precision %.4f (%d of %d found pairs true)",
		e.Recall, e.Correct, e.Truth, e.Precision, e.Correct, e.Found)
}

// Evaluate compares found pairs with true pairs; pairs are unordered.
func Evaluate(found, truth []Pair) Evaluation {
	key := func(p Pair) [2]int { return [2]int{min(p.A, p.B), max(p.A, p.B)} }
	isTrue := make(map[[2]int]bool, len(truth))
	for _, p := range truth {
		isTrue[key(p)] = true
	}
	got := make(map[[2]int]bool, len(found))
	e := Evaluation{Truth: len(isTrue)}
	for _, p := range found {
		k := key(p)
		if got[k] {
			continue
		}
		got[k] = true
		if isTrue[k] {
			e.Correct++
		} else {
			e.Wrong = append(e.Wrong, p)
		}
	}
	e.Found = len(got)
	for _, p := range truth {
		if !got[key(p)] {
			e.Missed = append(e.Missed, p)
		}
	}
	if e.Truth > 0 {
		e.Recall = float64(e.Correct) / float64(e.Truth)
	}
	if e.Found > 0 {
		e.Precision = float64(e.Correct) / float64(e.Found)
	}
	return e
}

// Experiment is the outcome of PlantedExperiment.
type Experiment struct {
	Planted  Planted
	Result   DedupResult // the deduplicator as configured
	Score    Evaluation  // its pairs (exact and verified near) against the truth
	NoVerify Evaluation  // LSH candidates alone, without the exact-Jaccard check
	// TruthBelow counts true pairs whose edits pushed their Jaccard under
	// the verification threshold: no setting of b and r can find those.
	TruthBelow int
	Elapsed    time.Duration
}

func (x Experiment) String() string {
	return fmt.Sprintf("%d docs, %d planted pairs (%d below the Jaccard threshold); with verification: %v; LSH candidates alone: %v",
		len(x.Planted.Docs), len(x.Planted.Truth), x.TruthBelow, x.Score, x.NoVerify)
}

// PlantedExperiment plants near-duplicates in documents from pool, runs
// Dedup on the mix and scores it. Everything is seeded: the same pool and
// configs give the same numbers.
func PlantedExperiment(pool []string, pc PlantConfig, dc DedupConfig) (Experiment, error) {
	start := time.Now()
	pl, err := PlantNearDuplicates(pool, pc, dc.Shingle, dc.Threshold)
	if err != nil {
		return Experiment{}, err
	}
	x := Experiment{Planted: pl}
	for _, p := range pl.Truth {
		if p.Jaccard < dc.Threshold {
			x.TruthBelow++
		}
	}
	x.Result = Dedup(pl.Docs, dc)
	x.Score = Evaluate(slices.Concat(x.Result.ExactPairs, x.Result.Pairs), pl.Truth)
	raw := dc
	raw.Threshold = 0 // every LSH candidate counts as found
	rr := Dedup(pl.Docs, raw)
	x.NoVerify = Evaluate(slices.Concat(rr.ExactPairs, rr.Pairs), pl.Truth)
	x.Elapsed = time.Since(start)
	return x, nil
}
