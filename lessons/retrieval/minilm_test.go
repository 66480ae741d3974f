package retrieval

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func loadMiniLMReference(t testing.TB) *MiniLMReference {
	t.Helper()
	r, err := LoadMiniLMReference()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sentences) < 12 {
		t.Fatalf("minilm_reference.json has %d sentences, want 12", len(r.Sentences))
	}
	return r
}

var (
	minilmOnce   sync.Once
	minilmLoaded *MiniLM
	minilmErr    error
)

// testMiniLM loads the model once for all tests, or skips when `go run
// ./kernel setup` has not installed it.
func testMiniLM(t testing.TB) *MiniLM {
	t.Helper()
	if _, err := mlx.ModelFile(mlx.MiniLM, mlx.MiniLMWeights); err != nil {
		t.Skip("all-MiniLM-L6-v2 is not installed, so the MiniLM tests are skipped (", err, ")")
	}
	minilmOnce.Do(func() {
		backend, err := mlx.Backend()
		if err != nil {
			minilmErr = err
			return
		}
		minilmLoaded, minilmErr = LoadMiniLM(backend)
	})
	if minilmErr != nil {
		t.Fatal(minilmErr)
	}
	return minilmLoaded
}

// TestMiniLMTokenizer: the ids Embed feeds the model are the ones
// sentence-transformers feeds it, truncation at 256 included.
func TestMiniLMTokenizer(t *testing.T) {
	m := testMiniLM(t)
	ref := loadMiniLMReference(t)
	if m.Config.MaxSeqLen != ref.MaxSeqLength {
		t.Errorf("MaxSeqLen %d, sentence-transformers' max_seq_length %d", m.Config.MaxSeqLen, ref.MaxSeqLength)
	}
	cut := 0
	for _, s := range ref.Sentences {
		if got := m.Tokenizer().Encode(s.Text); !slices.Equal(got, s.IDs) {
			t.Errorf("Encode(%.40q) = %v\nreference %v", s.Text, got, s.IDs)
		}
		if s.UntruncatedLength > m.Config.MaxSeqLen {
			cut++
		}
	}
	if cut == 0 {
		t.Error("no reference sentence is longer than MaxSeqLen: truncation is untested")
	}
}

// TestMiniLMParity: every embedding points the way sentence-transformers'
// does (cosine >= 0.9999), equals it within 1e-5, and has length 1.
func TestMiniLMParity(t *testing.T) {
	m := testMiniLM(t)
	ref := loadMiniLMReference(t)
	texts := make([]string, len(ref.Sentences))
	for i, s := range ref.Sentences {
		texts[i] = s.Text
	}
	got, err := m.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	minCos, maxDiff := 1.0, 0.0
	for i, s := range ref.Sentences {
		if len(got[i]) != m.Config.Dim {
			t.Fatalf("embedding %d has %d values, want %d", i, len(got[i]), m.Config.Dim)
		}
		cos := cosine(got[i], s.Embedding)
		minCos = min(minCos, cos)
		for j := range got[i] {
			maxDiff = max(maxDiff, math.Abs(float64(got[i][j]-s.Embedding[j])))
		}
		if cos < 0.9999 {
			t.Errorf("%.40q: cosine %.6f with sentence-transformers' embedding", s.Text, cos)
		}
		if n := cosine(got[i], got[i]); math.Abs(n-1) > 1e-5 {
			t.Errorf("%.40q: squared length %.6f, want 1", s.Text, n)
		}
	}
	t.Logf("%d sentences: min cosine 1 − %.1e, max |Δ| %.2g (sentence-transformers %s)", len(texts), 1-minCos, maxDiff, ref.Versions["sentence_transformers"])
	// A cosine of 0.9999 lets small mistakes through: tanh-approximated
	// GELU instead of BERT's erf gives 0.999998, but a max |Δ| of 4e-4.
	if maxDiff > 1e-5 {
		t.Errorf("max |Δ| %.2g with sentence-transformers' embeddings, want <= 1e-5 (float32 rounding gives about 5e-7)", maxDiff)
	}
}

// TestMiniLMBatchInvariance: padding changes nothing. A sentence embedded
// alone (16 tokens) and in a batch with a long text (256 tokens, so 240
// tokens of padding) gives the same vector, and the order of the output
// follows the input whatever Embed's sorting by length did.
func TestMiniLMBatchInvariance(t *testing.T) {
	m := testMiniLM(t)
	ref := loadMiniLMReference(t)
	short, long := ref.Sentences[0].Text, ref.Sentences[len(ref.Sentences)-1].Text
	alone, err := m.Embed([]string{short})
	if err != nil {
		t.Fatal(err)
	}
	both, err := m.Embed([]string{short, long, "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if cos := cosine(alone[0], both[0]); cos < 0.99999 {
		t.Errorf("%q alone and padded to 256 tokens: cosine %.7f", short, cos)
	}
	if cos := cosine(both[1], ref.Sentences[len(ref.Sentences)-1].Embedding); cos < 0.9999 {
		t.Errorf("the long text came back in the wrong place (cosine %.4f with its reference)", cos)
	}
	if out, err := m.Embed(nil); err != nil || len(out) != 0 {
		t.Errorf("Embed(nil) = %v, %v", out, err)
	}
}

// TestMeanPooling against a hand computation: the padded position (mask
// 0) does not count.
func TestMeanPooling(t *testing.T) {
	h := []float32{1, 2, 3, 4, 100, 100} // [1, 3, 2]: three tokens of 2 features
	out := model.MustExecOnce(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, h, mask *graph.Node) *graph.Node {
		return MeanPooling(h, mask)
	}, tensors.FromFlatDataAndDimensions(h, 1, 3, 2), tensors.FromFlatDataAndDimensions([]int32{1, 1, 0}, 1, 3))
	if got := tensors.MustCopyFlatData[float32](out); !slices.Equal(got, []float32{2, 3}) {
		t.Errorf("MeanPooling = %v, want [2 3] ((1+3)/2, (2+4)/2)", got)
	}
}

// TestReadMiniLMSafetensors: the real file passes the reader's checks.
func TestReadMiniLMSafetensors(t *testing.T) {
	path, err := mlx.ModelFile(mlx.MiniLM, mlx.MiniLMWeights)
	if err != nil {
		t.Skip("all-MiniLM-L6-v2 is not installed:", err)
	}
	s, err := OpenSafetensors(path)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := s.Entry("embeddings.word_embeddings.weight")
	if len(s.Names()) != 104 || !ok || e.DType != "F32" || !slices.Equal(e.Shape, []int{30522, 384}) {
		t.Errorf("%d tensors; word embeddings %+v", len(s.Names()), e)
	}
}

// faqQuestions are 64 questions of the length users type into a FAQ search
// box (8-15 words).
func faqQuestions() []string {
	base := []string{
		"How do I upgrade to a new Debian release?",
		"How can I install a package that is not in the archive?",
		"What is the difference between stable, testing and unstable?",
		"Why does apt say that some packages have been kept back?",
		"Where do I report a bug in a Debian package?",
		"How do I keep a package at its current version?",
		"Which desktop environments can I choose during installation?",
		"How do I find out which package owns a file?",
	}
	var out []string
	for i := range 64 {
		out = append(out, fmt.Sprintf("%s (%d)", base[i%len(base)], i))
	}
	return out
}

// BenchmarkMiniLM measures sentences per second for a batch of 64 FAQ
// questions on the backend mlx.Backend picks (compiled before the clock
// starts):
//
//	go test -run '^$' -bench MiniLM -benchtime 5x ./lessons/retrieval
func BenchmarkMiniLM(b *testing.B) {
	m := testMiniLM(b)
	texts := faqQuestions()
	if _, err := m.Embed(texts); err != nil { // compiles the graph
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := m.Embed(texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "sentences/s")
}

// Mean pooling of one text of three tokens, the last one padding: the mean
// of the first two vectors.
func ExampleMeanPooling() {
	h := tensors.FromFlatDataAndDimensions([]float32{1, 2, 3, 4, 100, 100}, 1, 3, 2) // [batch 1, seq 3, Dim 2]
	mask := tensors.FromFlatDataAndDimensions([]int32{1, 1, 0}, 1, 3)
	out := model.MustExecOnce(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, h, mask *graph.Node) *graph.Node {
		return MeanPooling(h, mask)
	}, h, mask)
	fmt.Println(out.Shape().Dimensions, tensors.MustCopyFlatData[float32](out))
	// Output: [1 2] [2 3]
}

// Embedding questions and comparing them: the vectors have length 1, so
// the dot product is the cosine similarity. (It needs the model that `go run
// ./kernel setup` installs, so it is compiled but not run by go test; the
// tests above check the same calls against sentence-transformers.)
func ExampleMiniLM_Embed() {
	m, err := LoadMiniLM(mlx.MustBackend())
	if err != nil {
		fmt.Println(err) // names the missing file and says to run setup
		return
	}
	v, err := m.Embed([]string{"How do I upgrade Debian?", "데비안을 업그레이드하려면?", "Where do I report a bug?"})
	if err != nil {
		panic(err)
	}
	dot := func(a, b []float32) (s float32) {
		for i := range a {
			s += a[i] * b[i]
		}
		return s
	}
	fmt.Printf("%d values; upgrade·upgrade(ko) %.2f, upgrade·bug %.2f\n", len(v[0]), dot(v[0], v[1]), dot(v[0], v[2]))
	fmt.Println(m.Tokenizer().Encode("How do I upgrade Debian?"))
}
