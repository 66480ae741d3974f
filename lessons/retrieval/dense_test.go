package retrieval

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/baeum-go/baeum/mlx"
)

// toyEmbedder looks each text up in a table of 2-D vectors (not of length
// 1, so that the index has to scale them); an unknown text is an error.
type toyEmbedder map[string][]float32

func (t toyEmbedder) Embed(texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, s := range texts {
		v, ok := t[s]
		if !ok {
			return nil, fmt.Errorf("toy: no vector for %q", s)
		}
		out[i] = append([]float32(nil), v...)
	}
	return out, nil
}

// Four documents around the unit circle: east, north, north-east (ahead of
// north for a query between them), and west.
var toy = toyEmbedder{
	"east": {2, 0}, "north": {0, 3}, "north-east": {1, 1}, "west": {-5, 0},
	"up": {0, 1}, "nne": {1, 2}, // queries
}

func TestDenseIndexSearch(t *testing.T) {
	ix, err := NewDenseIndex(toy, []string{"east", "north", "north-east", "west"})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range ix.Vectors() {
		if n := math.Sqrt(float64(Dot(v, v))); math.Abs(n-1) > 1e-6 {
			t.Errorf("vector %d has length %.6f, want 1", i, n)
		}
	}
	// "nne" = (1,2)/√5: cosine with north 2/√5 = 0.894, with north-east
	// 3/√10 = 0.949, with east 1/√5 = 0.447, with west −0.447.
	got := ix.Search("nne", 10)
	wantDocs, wantScores := []int{2, 1, 0, 3}, []float64{3 / math.Sqrt(10), 2 / math.Sqrt(5), 1 / math.Sqrt(5), -1 / math.Sqrt(5)}
	if len(got) != 4 {
		t.Fatalf("Search(nne, 10) = %v, want 4 hits", got)
	}
	for i, h := range got {
		if h.Doc != wantDocs[i] || math.Abs(h.Score-wantScores[i]) > 1e-6 {
			t.Errorf("hit %d = %+v, want doc %d score %.6f", i, h, wantDocs[i], wantScores[i])
		}
	}
	if got := ix.Search("up", 1); len(got) != 1 || got[0].Doc != 1 {
		t.Errorf("Search(up, 1) = %v, want north (1)", got)
	}
	// Rank embeds all queries at once and must agree with the package's Rank.
	r, err := ix.Rank([]string{"nne", "up"}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := Rank(ix, []string{"nne", "up"}, 3); !slices.EqualFunc(r, want, slices.Equal) {
		t.Errorf("DenseIndex.Rank %v, Rank %v", r, want)
	}
	if ix.Err() != nil {
		t.Errorf("Err() = %v after good searches", ix.Err())
	}
	if got := ix.Search("south", 3); got != nil || ix.Err() == nil {
		t.Errorf("Search of a text the embedder cannot embed: %v, Err %v; want no hits and an error", got, ix.Err())
	}
	if _, err := ix.Rank([]string{"south"}, 3); err == nil {
		t.Error("Rank of a text the embedder cannot embed gave no error")
	}
}

func TestDenseTopK(t *testing.T) {
	vectors := [][]float32{{1, 0}, {0, 1}, {0.6, 0.8}, {0, 1}, {-1, 0}}
	for _, c := range []struct {
		q    []float32
		k    int
		want []int
	}{
		{[]float32{0, 1}, 3, []int{1, 3, 2}}, // the tie (1 and 3) keeps the lower index first
		{[]float32{1, 0}, 2, []int{0, 2}},
		{[]float32{1, 0}, 10, []int{0, 2, 1, 3, 4}}, // k past the end: everything
		{[]float32{1, 0}, 0, nil},
	} {
		var got []int
		for _, h := range TopK(vectors, c.q, c.k) {
			got = append(got, h.Doc)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("TopK(q=%v, k=%d) = %v, want %v", c.q, c.k, got, c.want)
		}
	}
}

func TestNewDenseIndexFromVectorsChecksLengths(t *testing.T) {
	if _, err := NewDenseIndexFromVectors(toy, [][]float32{{1, 0}, {1, 0, 0}}); err == nil {
		t.Error("vectors of different lengths gave no error")
	}
	v := []float32{3, 4}
	ix, err := NewDenseIndexFromVectors(toy, [][]float32{v})
	if err != nil {
		t.Fatal(err)
	}
	if v[0] != 3 || ix.Vectors()[0][0] != 0.6 {
		t.Errorf("the caller's vector became %v and the index's %v; want it untouched and a scaled copy", v, ix.Vectors()[0])
	}
}

// countingEmbedder embeds text i as (len(text), 1) and records the size of
// every call.
type countingEmbedder struct{ calls []int }

func (c *countingEmbedder) Embed(texts []string) ([][]float32, error) {
	c.calls = append(c.calls, len(texts))
	out := make([][]float32, len(texts))
	for i, s := range texts {
		out[i] = []float32{float32(len(s)), 1}
	}
	return out, nil
}

func TestEmbedAll(t *testing.T) {
	texts := make([]string, 2*EmbedChunk+5)
	for i := range texts {
		texts[i] = string(make([]byte, i%7))
	}
	var e countingEmbedder
	var progress []int
	vecs, err := EmbedAll(&e, texts, func(done int, _ time.Duration) { progress = append(progress, done) })
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(e.calls, []int{EmbedChunk, EmbedChunk, 5}) {
		t.Errorf("chunks %v, want [%d %d 5]", e.calls, EmbedChunk, EmbedChunk)
	}
	if !slices.Equal(progress, []int{EmbedChunk, 2 * EmbedChunk, 2*EmbedChunk + 5}) {
		t.Errorf("progress %v", progress)
	}
	for i, v := range vecs {
		if v[0] != float32(i%7) {
			t.Fatalf("vector %d = %v: out of order", i, v)
		}
	}
	if _, err := EmbedAll(failingEmbedder{}, texts, nil); err == nil {
		t.Error("a failing embedder gave no error")
	}
}

// hashedBigrams embeds a text as counts of its SyllableBigrams terms hashed
// into 512 buckets: BM25's evidence without its weighting, as a vector.
type hashedBigrams struct{}

func (hashedBigrams) Embed(texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, text := range texts {
		out[i] = make([]float32, 512)
		for _, term := range SyllableBigrams(text) {
			h := fnv.New32a()
			h.Write([]byte(term))
			out[i][h.Sum32()%512]++
		}
	}
	return out, nil
}

// TestEvaluateEmbedder runs the whole pipeline (passages, index, questions,
// ranking, scores) with hashedBigrams: word overlap alone must find a good
// share of the answers (measured: recall@5 0.52), far above chance (5 of
// 161 passages: 0.03).
func TestEvaluateEmbedder(t *testing.T) {
	needFAQ(t)
	s, err := EvaluateEmbedder(hashedBigrams{}, "ko")
	if err != nil {
		t.Fatal(err)
	}
	t.Log(s)
	if s.Recall5 < 0.3 || s.Recall1 > s.Recall5 || s.MRR < s.Recall1 {
		t.Errorf("hashed bigrams on the Korean questions: %v; want recall@5 ≥ 0.3, recall@1 ≤ recall@5 ≤ 1, MRR ≥ recall@1", s)
	}
	if _, err := EvaluateEmbedder(failingEmbedder{}, "ko"); err == nil {
		t.Error("a failing embedder gave no error")
	}
}

type failingEmbedder struct{}

func (failingEmbedder) Embed([]string) ([][]float32, error) { return nil, errors.New("broken") }

func ExampleTopK() {
	vectors := [][]float32{{1, 0}, {0, 1}, {0.6, 0.8}}
	fmt.Println(TopK(vectors, []float32{0, 1}, 2))
	// Output: [{1 1} {2 0.800000011920929}]
}

func ExampleNormalize() {
	fmt.Println(Normalize([]float32{3, 4}), Normalize([]float32{0, 0}))
	// Output: [0.6 0.8] [0 0]
}

func ExampleDot() {
	fmt.Println(Dot([]float32{0.6, 0.8}, []float32{0, 1}))
	// Output: 0.8
}

// A dense index over three "documents" whose embedder is a lookup table.
func ExampleNewDenseIndex() {
	table := toyEmbedder{"east": {2, 0}, "north": {0, 3}, "north-east": {1, 1}, "almost north": {1, 5}}
	ix, err := NewDenseIndex(table, []string{"east", "north", "north-east"})
	if err != nil {
		panic(err)
	}
	for _, h := range ix.Search("almost north", 2) {
		fmt.Printf("doc %d cosine %.3f\n", h.Doc, h.Score)
	}
	// Output:
	// doc 1 cosine 0.981
	// doc 2 cosine 0.832
}

func ExampleDenseIndex_Rank() {
	ix, _ := NewDenseIndex(toy, []string{"east", "north", "north-east"})
	r, err := ix.Rank([]string{"up", "nne"}, 2)
	fmt.Println(r, err)
	// Output: [[1 2] [2 1]] <nil>
}

func ExampleNewDenseIndexFromVectors() {
	ix, err := NewDenseIndexFromVectors(toy, [][]float32{{3, 4}, {0, 2}})
	fmt.Println(ix.Vectors(), ix.Len(), err)
	// Output: [[0.6 0.8] [0 1]] 2 <nil>
}

// EvaluateEmbedder needs the data folder and the model that `go run
// ./kernel setup` installs, so this example is compiled but not run.
func ExampleEvaluateEmbedder() {
	m, err := LoadMiniLM(mlx.MustBackend())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, lang := range []string{"en", "ko"} {
		s, err := EvaluateEmbedder(m, lang)
		fmt.Println(lang, s, err) // en recall@1 0.745  recall@5 0.936  MRR 0.850; ko recall@1 0.123  recall@5 0.246  MRR 0.205
	}
}

func ExampleEmbedAll() {
	vecs, err := EmbedAll(toy, []string{"east", "west"}, func(done int, _ time.Duration) { fmt.Println(done, "done") })
	fmt.Println(vecs, err)
	// Output:
	// 2 done
	// [[2 0] [-5 0]] <nil>
}
