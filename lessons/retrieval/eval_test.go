package retrieval

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestQuestions checks the evaluation sets: at least 110 questions per
// language, no question twice, labels that are unique within a question,
// Korean questions in Hangul and English ones without, and questions about
// every chapter of the FAQ.
func TestQuestions(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		qs, err := LoadQuestions(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(qs) < 110 {
			t.Errorf("%s: %d questions, want at least 110", lang, len(qs))
		}
		seen := map[string]bool{}
		chapters := map[string]int{}
		for _, q := range qs {
			if seen[q.Q] {
				t.Errorf("%s: %q twice", lang, q.Q)
			}
			seen[q.Q] = true
			hangul := strings.IndexFunc(q.Q, isHangul) >= 0
			if hangul != (lang == "ko") {
				t.Errorf("%s: %q: Hangul %v", lang, q.Q, hangul)
			}
			for i, id := range q.IDs {
				if slices.Contains(q.IDs[:i], id) {
					t.Errorf("%s: %q lists %s twice", lang, q.Q, id)
				}
				page, _, _ := strings.Cut(id, "#")
				chapters[page]++
			}
		}
		for _, page := range FAQPages {
			if chapters[page] == 0 {
				t.Errorf("%s: no question about chapter %s", lang, page)
			}
		}
	}
	if _, err := LoadQuestions("fr"); err == nil {
		t.Error("LoadQuestions(fr) gave no error")
	}
}

// TestQuestionLabels checks that every label names a passage of the FAQ in
// the question's language.
func TestQuestionLabels(t *testing.T) {
	needFAQ(t)
	for _, lang := range []string{"en", "ko"} {
		ps, err := Passages(lang)
		if err != nil {
			t.Fatal(err)
		}
		qs, err := LoadQuestions(lang)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckLabels(qs, ps); err != nil {
			t.Error(err)
		}
	}
	bad := []Question{{Q: "?", IDs: []string{"basic-defs#nosuchsection"}}}
	if err := CheckLabels(bad, []Passage{{ID: "basic-defs#gnu"}}); err == nil {
		t.Error("CheckLabels accepted an unknown ID")
	}
}

// TestMetrics checks recall@k and MRR on cases worked out by hand.
func TestMetrics(t *testing.T) {
	ranked := [][]string{
		{"a", "b", "c"}, // labels [c]: found at rank 3
		{"x", "y"},      // labels [z]: never found
		{"p", "q", "r"}, // labels [q r]: both needed, ranks 2 and 3
	}
	qs := []Question{{IDs: []string{"c"}}, {IDs: []string{"z"}}, {IDs: []string{"r", "q"}}}
	for _, c := range []struct {
		k    int
		want float64
	}{
		{1, 0},                   // nothing at rank 1
		{2, (0 + 0 + 0.5) / 3},   // q at rank 2: half of question 3
		{3, (1 + 0 + 1.0) / 3},   // c, and both q and r
		{100, (1 + 0 + 1.0) / 3}, // k beyond the ranking
	} {
		if got := RecallAt(ranked, qs, c.k); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("RecallAt(k=%d) = %v, want %v", c.k, got, c.want)
		}
	}
	// MRR: 1/3 for question 1, 0 for question 2, 1/2 for question 3 (q).
	if got, want := MRR(ranked, qs), (1.0/3+0+1.0/2)/3; math.Abs(got-want) > 1e-12 {
		t.Errorf("MRR = %v, want %v", got, want)
	}
	if RecallAt(nil, nil, 5) != 0 || MRR(nil, nil) != 0 {
		t.Error("metrics of no questions should be 0")
	}
}

func TestSectionIDsAndEvaluate(t *testing.T) {
	ps := []Passage{{ID: "a", Part: 1}, {ID: "a", Part: 2}, {ID: "b"}, {ID: "c"}}
	r := Ranking{{1, 0, 3}, {2}}
	got := r.SectionIDs(ps)
	if want := [][]string{{"a", "c"}, {"b"}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("SectionIDs = %q, want %q", got, want)
	}
	// Question 1 wants c: rank 2 once the second part of a is dropped
	// (it would be rank 3 otherwise). Question 2 wants b at rank 1.
	s := Evaluate(r, ps, []Question{{IDs: []string{"c"}}, {IDs: []string{"b"}}})
	if want := (Scores{Recall1: 0.5, Recall5: 1, MRR: (0.5 + 1) / 2}); s != want {
		t.Errorf("Evaluate = %+v, want %+v", s, want)
	}
}

// TestRRF checks reciprocal-rank fusion on a hand case, k = 60.
//
//	ranking A: [7 3 5]    ranking B: [3 9]
//	3: 1/62 + 1/61 = 0.032523   (rank 2 in A, rank 1 in B)
//	7: 1/61        = 0.016393
//	9: 1/62        = 0.016129
//	5: 1/63        = 0.015873
//
// Question 2 is only in A, so A alone orders it.
func TestRRF(t *testing.T) {
	a := Ranking{{7, 3, 5}, {4, 2}}
	b := Ranking{{3, 9}}
	got := RRF(RRFK, a, b)
	if want := (Ranking{{3, 7, 9, 5}, {4, 2}}); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("RRF = %v, want %v", got, want)
	}
	// Equal fused scores keep the lower passage index first.
	if got := RRF(RRFK, Ranking{{8, 1}}, Ranking{{1, 8}}); !slices.Equal(got[0], []int{1, 8}) {
		t.Errorf("tie: %v, want [1 8]", got[0])
	}
	// A passage listed twice in one ranking counts once, at its best rank.
	if got := RRF(RRFK, Ranking{{2, 2, 6}}, Ranking{{6}}); !slices.Equal(got[0], []int{6, 2}) {
		t.Errorf("duplicate: %v, want [6 2] (6: 1/63+1/61 > 2: 1/61)", got[0])
	}
}

// fixedSearcher answers every query with the same hits.
type fixedSearcher []Hit

func (f fixedSearcher) Search(_ string, k int) []Hit { return f[:min(k, len(f))] }

func TestRank(t *testing.T) {
	r := Rank(fixedSearcher{{4, 2}, {1, 1}, {0, 0.5}}, []string{"q1", "q2"}, 2)
	if want := (Ranking{{4, 1}, {4, 1}}); !slices.EqualFunc(r, want, slices.Equal) {
		t.Errorf("Rank = %v, want %v", r, want)
	}
}

// TestBM25Baseline runs BM25 with each tokenizer on both question sets (the
// notebook's baseline table) and checks floors well under the measured
// values (en words 0.867; ko words 0.638, bigrams 0.766, wordpiece 0.681),
// so that a broken tokenizer, index or label set shows.
func TestBM25Baseline(t *testing.T) {
	needFAQ(t)
	floors := map[string]float64{ // recall@5
		"en/words": 0.75, "ko/words": 0.50, "ko/bigrams": 0.65, "ko/wordpiece": 0.55,
	}
	for _, lang := range []string{"en", "ko"} {
		rows, err := BM25Baseline(lang)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != map[string]int{"en": 1, "ko": 3}[lang] {
			t.Errorf("%s: %d rows", lang, len(rows))
		}
		for _, row := range rows {
			t.Logf("%s %-9s %v", row.Lang, row.Tokenizer, row.Scores)
			if floor := floors[lang+"/"+row.Tokenizer]; row.Recall5 < floor {
				t.Errorf("%s %s: recall@5 %.3f, below %.2f", lang, row.Tokenizer, row.Recall5, floor)
			}
		}
	}
	// On Korean, cutting words into syllable pairs must beat whole words:
	// the point the notebook makes.
	rows, _ := BM25Baseline("ko")
	if rows[1].MRR <= rows[0].MRR {
		t.Errorf("ko: bigrams MRR %.3f not above words %.3f", rows[1].MRR, rows[0].MRR)
	}
}

func ExampleRRF() {
	bm25 := Ranking{{7, 3, 5}}
	dense := Ranking{{3, 9}}
	fmt.Println(RRF(RRFK, bm25, dense))
	// Output: [[3 7 9 5]]
}

func ExampleEvaluate() {
	ps := []Passage{{ID: "pkgtools#dpkg"}, {ID: "pkgtools#apt-get", Part: 1}, {ID: "pkgtools#apt-get", Part: 2}}
	qs := []Question{{Q: "how do I install a .deb?", IDs: []string{"pkgtools#dpkg"}}}
	fmt.Println(Evaluate(Ranking{{1, 2, 0}}, ps, qs))
	// Output: recall@1 0.000  recall@5 1.000  MRR 0.500
}

func ExampleRecallAt() {
	ranked := [][]string{{"a", "b", "c"}, {"x", "y"}}
	qs := []Question{{IDs: []string{"c"}}, {IDs: []string{"z"}}}
	fmt.Println(RecallAt(ranked, qs, 2), RecallAt(ranked, qs, 3), MRR(ranked, qs))
	// Output: 0 0.5 0.16666666666666666
}

// ExampleLoadQuestions needs nothing but the embedded files.
func ExampleLoadQuestions() {
	qs, _ := LoadQuestions("ko")
	fmt.Println(qs[0].IDs)
	// Output: [basic-defs#whatisfaq]
}

func ExampleRank() {
	ix := NewIndex(toyDocs, LowerWords)
	fmt.Println(Rank(ix, []string{"cat", "dog", "bird"}, 5))
	// Output: [[2 0] [1] []]
}

func ExampleRanking_SectionIDs() {
	ps := []Passage{{ID: "a", Part: 1}, {ID: "a", Part: 2}, {ID: "b"}}
	fmt.Println(Ranking{{1, 0, 2}}.SectionIDs(ps))
	// Output: [[a b]]
}

func ExampleCheckLabels() {
	ps := []Passage{{ID: "pkgtools#dpkg"}}
	fmt.Println(CheckLabels([]Question{{Q: "install a .deb", IDs: []string{"pkgtools#dpk"}}}, ps))
	// Output: retrieval: question 1 ("install a .deb") is labelled "pkgtools#dpk", which is no passage
}

// ExampleBM25Baseline needs the data folder (BAEUM_DATA=../shared/data), so
// it is compiled but not run; TestBM25Baseline checks the same.
func ExampleBM25Baseline() {
	rows, err := BM25Baseline("ko")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range rows {
		fmt.Println(r.Lang, r.Tokenizer, r.Scores) // ko bigrams recall@1 0.552  recall@5 0.766  MRR 0.679, ...
	}
}
