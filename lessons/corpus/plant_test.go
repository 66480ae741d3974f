package corpus

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestEvaluate(t *testing.T) {
	truth := []Pair{{A: 0, B: 1}, {A: 2, B: 3}, {A: 4, B: 5}, {A: 6, B: 7}}
	found := []Pair{{A: 1, B: 0}, {A: 2, B: 3}, {A: 2, B: 3}, {A: 8, B: 9}} // reversed, repeated, wrong
	e := Evaluate(found, truth)
	if e.Truth != 4 || e.Found != 3 || e.Correct != 2 || e.Recall != 0.5 || e.Precision != 2.0/3 {
		t.Errorf("Evaluate = %+v", e)
	}
	if len(e.Missed) != 2 || e.Missed[0] != truth[2] || len(e.Wrong) != 1 || e.Wrong[0].A != 8 {
		t.Errorf("missed %v, wrong %v", e.Missed, e.Wrong)
	}
	if z := Evaluate(nil, nil); z.Recall != 0 || z.Precision != 0 {
		t.Errorf("empty Evaluate = %+v", z)
	}
}

// syntheticPool makes n distinct "reviews" from a fixed vocabulary, for
// tests that must not depend on the data folder.
func syntheticPool(n int) []string {
	words := strings.Fields("영화 배우 연기 음악 장면 감동 스토리 결말 최고 지루 재미 추천 감독 주인공 시간 눈물 웃음 액션 사랑 기억")
	var pool []string
	for i := range n {
		var b strings.Builder
		for j := range 12 {
			fmt.Fprintf(&b, "%s%d ", words[(i*7+j*j*3+i/5*j)%len(words)], (i*31+j*17)%97)
		}
		pool = append(pool, strings.TrimSpace(b.String()))
	}
	return pool
}

func TestPlantNearDuplicates(t *testing.T) {
	pool := syntheticPool(400)
	cfg := PlantConfig{Originals: 50, Distractors: 100, MinRunes: 20, MaxEdits: 3, Seed: 3}
	pl, err := PlantNearDuplicates(pool, cfg, 3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Docs) != 200 || len(pl.Truth) != 50 || len(pl.Edits) != 50 {
		t.Fatalf("%d docs, %d truth pairs, %d edit notes; want 200, 50, 50", len(pl.Docs), len(pl.Truth), len(pl.Edits))
	}
	inPool := map[string]bool{}
	for _, d := range pool {
		inPool[d] = true
	}
	for i, p := range pl.Truth {
		a, b := pl.Docs[p.A], pl.Docs[p.B]
		if p.A >= p.B || a == b || (inPool[a] == inPool[b]) {
			t.Errorf("pair %d %v: want A < B, one original from the pool and one edited copy:\n%q\n%q", i, p, a, b)
		}
		if n := strings.Count(pl.Edits[i], ";") + 1; n < 1 || n > cfg.MaxEdits {
			t.Errorf("pair %d has %d edits (%s), want 1..%d", i, n, pl.Edits[i], cfg.MaxEdits)
		}
		if p.Jaccard != Jaccard(a, b, 3) {
			t.Errorf("pair %d: stored Jaccard %v, measured %v", i, p.Jaccard, Jaccard(a, b, 3))
		}
	}
	again, _ := PlantNearDuplicates(pool, cfg, 3, 0.5)
	if !slices.Equal(again.Docs, pl.Docs) || !slices.Equal(again.Truth, pl.Truth) {
		t.Error("the same seed must plant the same copies")
	}
	if _, err := PlantNearDuplicates(pool[:10], cfg, 3, 0.5); err == nil || !strings.Contains(err.Error(), "lower Originals") {
		t.Errorf("a too-small pool: got error %v, want one that says what to lower", err)
	}
	for _, bad := range []PlantConfig{{Originals: 0, Distractors: 5}, {Originals: 5, Distractors: -3}} {
		if _, err := PlantNearDuplicates(pool, bad, 3, 0.5); err == nil {
			t.Errorf("PlantNearDuplicates(%+v) gave no error", bad)
		}
	}
	// Empty documents in the pool do not break the edits.
	if _, err := PlantNearDuplicates([]string{"", " ", "", "x"}, PlantConfig{Originals: 2, Seed: 1}, 3, 0.5); err != nil {
		t.Errorf("a pool of empty documents: %v", err)
	}
}

// TestDropNearDuplicates checks the ground-truth cleaner against a brute
// force over all pairs.
func TestDropNearDuplicates(t *testing.T) {
	pool := syntheticPool(300)
	pool = append(pool, pool[5]+" 추가", strings.Join(strings.Fields(pool[9])[1:], " "))
	kept, dropped := dropNearDuplicates(pool, 3, 0.5)
	if dropped < 2 || len(kept)+dropped != len(pool) {
		t.Errorf("dropped %d of %d, want at least the 2 planted copies", dropped, len(pool))
	}
	for i := range kept {
		for j := range i {
			if s := Jaccard(kept[i], kept[j], 3); s >= 0.5 {
				t.Fatalf("kept a near-duplicate pair (J=%.2f):\n%q\n%q", s, kept[i], kept[j])
			}
		}
	}
}

// TestPlantedExperimentReviews is the lesson's claim (SYLLABUS row 01):
// planted near-duplicates of real reviews are found with recall >= 0.95 and
// precision >= 0.99.
func TestPlantedExperimentReviews(t *testing.T) {
	docs := filteredReviews(t)
	x, err := PlantedExperiment(docs, DefaultPlant(), DefaultDedup())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(x)
	if x.Score.Recall < 0.95 || x.Score.Precision < 0.99 {
		t.Errorf("recall %.4f precision %.4f, want >= 0.95 and >= 0.99", x.Score.Recall, x.Score.Precision)
	}
	if x.Score.Truth != 1000 || len(x.Planted.Docs) != 5000 {
		t.Errorf("%d truth pairs in %d docs, want 1000 in 5000", x.Score.Truth, len(x.Planted.Docs))
	}
	// Verification must matter: LSH alone proposes pairs that are not true.
	if x.NoVerify.Precision >= x.Score.Precision {
		t.Errorf("precision without verification %.4f, with %.4f: verification should help", x.NoVerify.Precision, x.Score.Precision)
	}
}
