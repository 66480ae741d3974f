package retrieval

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
)

// toyDocs is the corpus of the hand computation below.
var toyDocs = []string{
	"the cat sat",         // d0: [the cat sat], |d0| = 3
	"The dog.",            // d1: [the dog], |d1| = 2
	"the cat and the cat", // d2: [the cat and the cat], |d2| = 5
}

// TestBM25Toy checks Search against BM25 worked out by hand.
//
// N = 3, avgdl = (3 + 2 + 5) / 3 = 10/3, k1 = 1.2, b = 0.75.
// Length norms K(d) = k1·(1 − b + b·|d|/avgdl):
//
//	K(d0) = 1.2·(0.25 + 0.75·0.9) = 1.11
//	K(d1) = 1.2·(0.25 + 0.75·0.6) = 0.84
//	K(d2) = 1.2·(0.25 + 0.75·1.5) = 1.65
//
// IDF(t) = ln(1 + (N − df + 0.5)/(df + 0.5)):
//
//	IDF(cat) = ln(1 + 1.5/2.5) = ln 1.6     = 0.470004  (df 2)
//	IDF(the) = ln(1 + 0.5/3.5) = ln 8/7     = 0.133531  (df 3)
//	IDF(dog) = ln(1 + 2.5/1.5) = ln 8/3     = 0.980829  (df 1)
//
// Query "cat": d0 = 0.470004·1·2.2/(1 + 1.11) = 0.490051,
// d2 = 0.470004·2·2.2/(2 + 1.65) = 0.566580; d1 has no "cat" and is not
// returned. So d2 (cat twice, though longer) ranks above d0.
//
// Query "the dog": d1 = 0.133531·2.2/1.84 + 0.980829·2.2/1.84 = 0.159657 +
// 1.172731 = 1.332388; d2 = 0.133531·4.4/3.65 = 0.160969; d0 =
// 0.133531·2.2/2.11 = 0.139227.
//
// (The same numbers come from evaluating the formula in Python with
// math.log; the test allows 1e-6.)
func TestBM25Toy(t *testing.T) {
	ix := NewIndex(toyDocs, LowerWords)
	if ix.Len() != 3 || math.Abs(ix.AvgDocLen()-10.0/3) > 1e-12 {
		t.Fatalf("N = %d, avgdl = %v; want 3 and 10/3", ix.Len(), ix.AvgDocLen())
	}
	for _, c := range []struct {
		query string
		want  []Hit
	}{
		{"cat", []Hit{{2, 0.566580}, {0, 0.490051}}},
		{"the dog", []Hit{{1, 1.332388}, {2, 0.160969}, {0, 0.139227}}},
		{"Dog? DOG the", []Hit{{1, 1.332388}, {2, 0.160969}, {0, 0.139227}}}, // a repeated query term counts once
		{"bird", nil},
	} {
		got := ix.Search(c.query, 10)
		if len(got) != len(c.want) {
			t.Errorf("Search(%q) = %v, want %v", c.query, got, c.want)
			continue
		}
		for i := range got {
			if got[i].Doc != c.want[i].Doc || math.Abs(got[i].Score-c.want[i].Score) > 1e-6 {
				t.Errorf("Search(%q)[%d] = %+v, want %+v", c.query, i, got[i], c.want[i])
			}
		}
	}
	if got := ix.Search("the dog", 1); len(got) != 1 || got[0].Doc != 1 {
		t.Errorf("Search(k=1) = %v, want only d1", got)
	}
	for term, want := range map[string]float64{"cat": 0.470004, "the": 0.133531, "dog": 0.980829, "bird": math.Log(8)} {
		if got := ix.IDF(term); math.Abs(got-want) > 1e-6 {
			t.Errorf("IDF(%q) = %.6f, want %.6f", term, got, want)
		}
	}
}

// TestBM25Parameters checks what k1 and b do: with b = 0 length no longer
// matters, so d0 (cat once) scores cat's IDF·2.2/(1 + 1.2) = IDF exactly;
// with k1 = 0 term frequency no longer matters, so d0 and d2 tie at IDF.
func TestBM25Parameters(t *testing.T) {
	ix := NewIndex(toyDocs, LowerWords)
	idf := math.Log(1.6)
	ix.B = 0
	if got := ix.Search("cat", 3); math.Abs(got[1].Score-idf) > 1e-12 || got[1].Doc != 0 {
		t.Errorf("b=0: %v, want d0 scored %v", got, idf)
	}
	ix.B, ix.K1 = DefaultB, 0
	got := ix.Search("cat", 3)
	if math.Abs(got[0].Score-idf) > 1e-12 || got[0].Score != got[1].Score || got[0].Doc != 0 {
		t.Errorf("k1=0: %v, want d0 and d2 tied at %v, d0 first", got, idf)
	}
}

func TestPostings(t *testing.T) {
	ix := NewIndex(toyDocs, LowerWords)
	for term, want := range map[string][]Posting{
		"the":  {{0, 1}, {1, 1}, {2, 2}},
		"cat":  {{0, 1}, {2, 2}},
		"dog":  {{1, 1}},
		"The":  nil, // terms are looked up as the tokenizer wrote them
		"bird": nil,
	} {
		if got := ix.Postings(term); !slices.Equal(got, want) {
			t.Errorf("Postings(%q) = %v, want %v", term, got, want)
		}
	}
	if ix.Terms() != 5 || ix.DocLen(2) != 5 {
		t.Errorf("Terms() = %d, DocLen(2) = %d; want 5 and 5", ix.Terms(), ix.DocLen(2))
	}
}

// TestExplain checks that the contributions are the hand-computed ones and
// add up to Search's score.
func TestExplain(t *testing.T) {
	ix := NewIndex(toyDocs, LowerWords)
	got := ix.Explain("the dog bird", 1)
	want := []Contribution{
		{Term: "the", TF: 1, DF: 3, IDF: 0.133531, Score: 0.159657},
		{Term: "dog", TF: 1, DF: 1, IDF: 0.980829, Score: 1.172731},
		{Term: "bird", TF: 0, DF: 0, IDF: math.Log(8), Score: 0},
	}
	sum := 0.0
	for i := range want {
		g, w := got[i], want[i]
		if g.Term != w.Term || g.TF != w.TF || g.DF != w.DF || math.Abs(g.IDF-w.IDF) > 1e-6 || math.Abs(g.Score-w.Score) > 1e-6 {
			t.Errorf("Explain[%d] = %+v, want %+v", i, g, w)
		}
		sum += g.Score
	}
	if hit := ix.Search("the dog bird", 1)[0]; math.Abs(hit.Score-sum) > 1e-12 {
		t.Errorf("contributions add up to %v, Search says %v", sum, hit.Score)
	}
}

func TestTokenizers(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) []string
		in   string
		want []string
	}{
		{"words", LowerWords, "How do I use apt-get?", []string{"how", "do", "i", "use", "apt", "get"}},
		{"words", LowerWords, "패키지를 지우려면?", []string{"패키지를", "지우려면"}},
		{"words", LowerWords, "", nil},
		{"words", LowerWords, "Debian 11 (bullseye)", []string{"debian", "11", "bullseye"}},
		// A decomposed (NFD) syllable becomes the precomposed one.
		{"words", LowerWords, "\u1100\u1161", []string{"가"}},
		{"bigrams", SyllableBigrams, "패키지를 apt로", []string{"패키", "키지", "지를", "apt", "로"}},
		{"bigrams", SyllableBigrams, "testing을 쓸까", []string{"testing", "을", "쓸까"}},
		{"bigrams", SyllableBigrams, "쓸 FAQ는", []string{"쓸", "faq", "는"}},
	} {
		if got := c.f(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// TestWordPieceTerms checks that the text is lower-cased before WordPiece
// and that pieces without a letter or digit are dropped.
func TestWordPieceTerms(t *testing.T) {
	tok, err := tokenize.NewWordPiece([]string{"[UNK]", "?", "패키지", "##를", "apt", "##-", "get"})
	if err != nil {
		t.Fatal(err)
	}
	got := WordPieceTerms(tok)("패키지를 APT? get")
	if want := []string{"패키지", "##를", "apt", "get"}; !slices.Equal(got, want) {
		t.Errorf("WordPieceTerms = %q, want %q", got, want)
	}
	if _, err := Tokenizers("fr"); err == nil {
		t.Error(`Tokenizers("fr") gave no error`)
	}
	if toks, err := Tokenizers("en"); err != nil || len(toks) != 1 || toks[0].Name != "words" {
		t.Errorf(`Tokenizers("en") = %v, %v`, toks, err)
	}
}

func ExampleIndex_Search() {
	ix := NewIndex(toyDocs, LowerWords)
	for _, h := range ix.Search("the dog", 3) {
		fmt.Printf("d%d %.4f\n", h.Doc, h.Score)
	}
	// Output:
	// d1 1.3324
	// d2 0.1610
	// d0 0.1392
}

func ExampleIndex_Explain() {
	ix := NewIndex(toyDocs, LowerWords)
	for _, c := range ix.Explain("the dog", 1) {
		fmt.Println(c)
	}
	// Output:
	// the        tf=1 df=3 idf=0.134 -> 0.160
	// dog        tf=1 df=1 idf=0.981 -> 1.173
}

func ExampleIndex_Postings() {
	ix := NewIndex(toyDocs, LowerWords)
	fmt.Println(ix.Postings("cat"), ix.Postings("bird"))
	// Output: [{0 1} {2 2}] []
}

func ExampleNewIndex() {
	ix := NewIndex([]string{"패키지를 지우려면", "패키지가 남아요"}, SyllableBigrams)
	fmt.Println(ix.Len(), ix.Terms(), ix.Postings("패키"))
	// Output: 2 9 [{0 1} {1 1}]
}

func ExampleLowerWords() {
	fmt.Printf("%q\n", LowerWords("How do I use apt-get? 패키지를 지우려면"))
	// Output: ["how" "do" "i" "use" "apt" "get" "패키지를" "지우려면"]
}

func ExampleSyllableBigrams() {
	fmt.Printf("%q\n", SyllableBigrams("패키지를 apt로 지우려면"))
	// Output: ["패키" "키지" "지를" "apt" "로" "지우" "우려" "려면"]
}

func ExampleIndex_IDF() {
	ix := NewIndex(toyDocs, LowerWords)
	fmt.Printf("%.4f %.4f %.4f\n", ix.IDF("the"), ix.IDF("dog"), ix.IDF("bird"))
	// Output: 0.1335 0.9808 2.0794
}

func ExampleWordPieceTerms() {
	tok, _ := tokenize.NewWordPiece([]string{"[UNK]", "?", "패키지", "##를", "##가", "apt"})
	fmt.Printf("%q\n", WordPieceTerms(tok)("패키지를 APT?"))
	// Output: ["패키지" "##를" "apt"]
}

func ExampleTokenizers() {
	toks, _ := Tokenizers("en")
	for _, t := range toks {
		fmt.Printf("%s %q\n", t.Name, t.Split("Can't find -lfoo"))
	}
	// Output: words ["can" "t" "find" "lfoo"]
}
