package corpus

import (
	"slices"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

func TestDedupSmall(t *testing.T) {
	docs := []string{
		0: "이 영화 정말 재미있어요 배우들 연기도 최고",
		1: "이 영화 정말 재미있어요  배우들 연기도 최고", // exact (spacing) copy of 0
		2: "스토리가 지루하고 결말이 허무했습니다",
		3: "이 영화 정말 재미있어요 배우들 연기도 최고!", // near copy of 0
		4: "The Movie Was Great",
		5: "the movie was great",     // exact (case) copy of 4
		6: "스토리가 지루하고 결말이 허무했습니다 ㅠㅠ", // near copy of 2
		7: "음악과 영상미가 아름다운 작품",
		8: "",
		9: "",
	}
	r := Dedup(docs, DefaultDedup())
	wantDup := []int{-1, 0, -1, 0, -1, 4, 2, -1, -1, 8}
	if !slices.Equal(r.DuplicateOf, wantDup) {
		t.Errorf("DuplicateOf = %v, want %v", r.DuplicateOf, wantDup)
	}
	if r.ExactRemoved != 3 || r.NearRemoved != 2 {
		t.Errorf("removed exact %d near %d, want 3 and 2", r.ExactRemoved, r.NearRemoved)
	}
	if want := []int{0, 2, 4, 7, 8}; !slices.Equal(r.Kept, want) {
		t.Errorf("Kept = %v, want %v", r.Kept, want)
	}
	var got [][2]int
	for _, p := range r.Pairs {
		got = append(got, [2]int{p.A, p.B})
		if p.Jaccard < 0.5 || p.Jaccard >= 1 {
			t.Errorf("pair %v has Jaccard %v, want in [0.5, 1)", p, p.Jaccard)
		}
	}
	if want := [][2]int{{0, 3}, {2, 6}}; !slices.Equal(got, want) {
		t.Errorf("near pairs %v, want %v", got, want)
	}
	if kd := r.KeptDocs(docs); len(kd) != 5 || kd[1] != docs[2] {
		t.Errorf("KeptDocs = %q", kd)
	}
}

// TestDedupTransitive: a~b and b~c put c with a, even though a and c are
// less alike than the threshold; all point at the first document.
func TestDedupTransitive(t *testing.T) {
	a := "가나다라마바사아자차카타파하"
	b := "가나다라마바사아자차카타파하거너더러"
	c := "가나다라마바사아자차카타파하거너더러머버서어저"
	cfg := DefaultDedup()
	cfg.Threshold = 0.7
	if Jaccard(a, c, 3) >= cfg.Threshold || Jaccard(a, b, 3) < cfg.Threshold || Jaccard(b, c, 3) < cfg.Threshold {
		t.Fatalf("bad fixture: J(a,b)=%.2f J(b,c)=%.2f J(a,c)=%.2f", Jaccard(a, b, 3), Jaccard(b, c, 3), Jaccard(a, c, 3))
	}
	r := Dedup([]string{a, b, c}, cfg)
	if want := []int{-1, 0, 0}; !slices.Equal(r.DuplicateOf, want) {
		t.Errorf("DuplicateOf = %v, want %v", r.DuplicateOf, want)
	}
}

func TestDedupThresholdZeroKeepsCandidates(t *testing.T) {
	docs := []string{"이 영화 정말 재미있어요", "이 영화 정말 재미있어요!", "전혀 다른 이야기"}
	cfg := DefaultDedup()
	cfg.Threshold = 0
	r := Dedup(docs, cfg)
	if r.Candidates != len(r.Pairs) {
		t.Errorf("with threshold 0 every candidate (%d) is a pair (%d)", r.Candidates, len(r.Pairs))
	}
}

var (
	reviewsOnce sync.Once
	reviews     []string // cleaned and filtered Korean reviews
	reviewsErr  error
)

// filteredReviews loads the review corpus once per test binary and runs the
// lesson's cleaning and filters on it.
func filteredReviews(t testing.TB) []string {
	needData(t)
	reviewsOnce.Do(func() {
		raw, err := LoadReviews()
		if err != nil {
			reviewsErr = err
			return
		}
		clean, _ := CleanAll(raw)
		reviews, _ = ApplyFilters(clean, ReviewFilters().Filters())
	})
	if reviewsErr != nil {
		t.Fatal(reviewsErr)
	}
	return reviews
}

// TestDedupReviews deduplicates the whole cleaned corpus. The counts are
// golden values from this code at the time of writing (seeded, so the same
// on every machine and for any number of workers); a change to cleaning,
// filters or dedup settings that moves them must update them on purpose.
func TestDedupReviews(t *testing.T) {
	docs := filteredReviews(t)
	want := mlx.Golden(ReviewsFile, [3]int{132410, 377, 2248}, [3]int{129833, 222, 2325})
	if len(docs) != want[0] {
		t.Errorf("%d reviews after cleaning and filters, want %d", len(docs), want[0])
	}
	r := Dedup(docs, DefaultDedup())
	t.Log(r)
	if r.ExactRemoved != want[1] || r.NearRemoved != want[2] {
		t.Errorf("removed %d exact and %d near duplicates, want %d and %d", r.ExactRemoved, r.NearRemoved, want[1], want[2])
	}
	for _, p := range r.Pairs {
		if p.Jaccard < 0.5 || r.DuplicateOf[p.B] < 0 {
			t.Fatalf("pair %+v: Jaccard below threshold or second document kept", p)
		}
	}
	one := DefaultDedup()
	one.Workers = 1
	if r1 := Dedup(docs[:5000], one); !slices.Equal(r1.DuplicateOf, Dedup(docs[:5000], DefaultDedup()).DuplicateOf) {
		t.Error("one worker and many workers disagree")
	}
}

// BenchmarkDedup measures documents per second on 20,000 real reviews.
func BenchmarkDedup(b *testing.B) {
	docs := filteredReviews(b)[:20000]
	b.ResetTimer()
	for b.Loop() {
		Dedup(docs, DefaultDedup())
	}
	b.ReportMetric(float64(len(docs)*b.N)/b.Elapsed().Seconds(), "docs/s")
}

func TestLoadReviews(t *testing.T) {
	needData(t)
	r, err := LoadReviews()
	if err != nil {
		t.Fatal(err)
	}
	n, first := mlx.Golden(ReviewsFile, 150000, 146390), mlx.Golden(ReviewsFile, "기대를 저버리지않았음 인정", "그냥 프로그램 내려라 없는게 낫다")
	if len(r) != n || r[0] != first || r[len(r)-1] == "" {
		t.Errorf("%d reviews, first %q, last %q; want %d starting with %s", len(r), r[0], r[len(r)-1], n, first)
	}
}
