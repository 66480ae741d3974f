package retrieval

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// tinyEncoder is an Encoder of lesson 07's shape but small and randomly
// initialized, with a WordPiece vocabulary of vocab tokens trained on
// text: the tests need no checkpoint.
func tinyEncoder(t testing.TB, text string, vocab, maxLen, dim int) *Encoder {
	t.Helper()
	tok, err := tokenize.TrainWordPiece(text, vocab)
	if err != nil {
		t.Fatal(err)
	}
	c := transformer.Config{SrcVocab: tok.VocabSize(), Dim: dim, Heads: 2, EncoderLayers: 1, MLPRatio: 2, MaxLen: maxLen, InitStd: 0.02}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(15))
	e, err := newEncoder(mlx.MustBackend(), c, tok, store)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

const tinyText = "패키지를 설치하려면 apt를 쓴다.\n데비안을 업그레이드하려면 어떻게 하나요?\n버그는 어디에 보고하나요?\n" +
	"How do I install a package with apt?\nWhere do I report a bug?"

func TestEncoderChunks(t *testing.T) {
	e := tinyEncoder(t, tinyText, 200, 6, 8) // pieces of 4 tokens
	text := "데비안을 업그레이드하려면 어떻게 하나요?"
	ids := e.Tok.Encode(text)
	chunks := e.Chunks(text)
	if want := (len(ids) + 3) / 4; len(chunks) != want || want < 3 {
		t.Fatalf("%d tokens gave %d chunks, want %d (and the test wants at least 3)", len(ids), len(chunks), want)
	}
	var inner []int
	for i, c := range chunks {
		if c[0] != encoderCLS || c[len(c)-1] != encoderSEP || len(c) > 6 || (i < len(chunks)-1 && len(c) != 6) {
			t.Errorf("chunk %d = %v: want [CLS] 4 tokens [SEP] (the last may be shorter)", i, c)
		}
		for _, id := range c[1 : len(c)-1] {
			inner = append(inner, int(id))
		}
	}
	if !slices.Equal(inner, ids) {
		t.Errorf("the chunks hold %v, the text is %v", inner, ids)
	}
	if got := e.Tokens(text); !slices.Equal(got, chunks[0]) {
		t.Errorf("Tokens = %v, want the first chunk %v", got, chunks[0])
	}
	if got := e.Chunks(""); len(got) != 1 || !slices.Equal(got[0], []int32{encoderCLS, encoderSEP}) {
		t.Errorf("Chunks(\"\") = %v, want [[CLS SEP]]", got)
	}
}

// TestEncoderEmbed: vectors of length 1; a text's vector does not depend on
// the batch it is embedded in (padding is masked out of attention and of
// the mean); ChunkMean is the scaled mean of the chunks' vectors, and the
// same as Truncate for a text that fits.
func TestEncoderEmbed(t *testing.T) {
	e := tinyEncoder(t, tinyText, 200, 8, 16)
	texts := strings.Split(tinyText, "\n")
	all, err := e.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		alone, err := e.Embed([]string{text})
		if err != nil {
			t.Fatal(err)
		}
		if len(all[i]) != 16 || math.Abs(float64(Dot(all[i], all[i]))-1) > 1e-5 {
			t.Errorf("text %d: %d values of length² %.6f, want 16 of length 1", i, len(all[i]), Dot(all[i], all[i]))
		}
		if c := Dot(alone[0], all[i]); c < 1-1e-5 {
			t.Errorf("text %d embedded alone and in a batch: cosine %.7f, want 1", i, c)
		}
	}
	long := texts[1] // several chunks of 6 tokens
	chunks := e.Chunks(long)
	if len(chunks) < 2 {
		t.Fatalf("%q is %d chunk(s); the test needs a longer text", long, len(chunks))
	}
	vecs, err := e.embedSequences(chunks)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]float32, 16)
	for _, v := range vecs {
		for j := range v {
			want[j] += v[j]
		}
	}
	Normalize(want)
	e.Long = ChunkMean
	got, err := e.Embed([]string{long, "apt"})
	if err != nil {
		t.Fatal(err)
	}
	if c := Dot(got[0], want); c < 1-1e-5 {
		t.Errorf("ChunkMean: cosine %.7f with the mean of the chunks' vectors, want 1", c)
	}
	e.Long = Truncate
	short, _ := e.Embed([]string{"apt"})
	if c := Dot(got[1], short[0]); c < 1-1e-5 {
		t.Errorf("a one-chunk text: ChunkMean and Truncate differ (cosine %.7f)", c)
	}
}

func TestEncoderSaveLoad(t *testing.T) {
	e := tinyEncoder(t, tinyText, 200, 8, 16)
	texts := strings.Split(tinyText, "\n")
	before, err := e.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	e.Long = ChunkMean
	e.Trained = &ContrastiveConfig{Batch: 3, Temperature: 0.05}
	dir := t.TempDir()
	if err := e.Save(dir); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadEncoder(mlx.MustBackend(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Config != e.Config || loaded.Long != ChunkMean || loaded.Trained == nil || *loaded.Trained != *e.Trained {
		t.Errorf("loaded %+v long %v trained %+v", loaded.Config, loaded.Long, loaded.Trained)
	}
	loaded.Long = Truncate
	after, err := loaded.Embed(texts)
	if err != nil {
		t.Fatal(err)
	}
	for i := range before {
		if !slices.Equal(before[i], after[i]) {
			t.Errorf("text %d: %v before saving, %v after loading", i, before[i][:3], after[i][:3])
		}
	}
	if _, err := LoadEncoder(mlx.MustBackend(), t.TempDir()); err == nil {
		t.Error("loading an empty folder gave no error")
	}
}

// TestCopyEncoderWeights: only the encoder's variables are copied, and into
// new tensors, so that training the copy leaves the BERT as it was.
func TestCopyEncoderWeights(t *testing.T) {
	from := model.NewStore()
	for path, v := range map[string]float32{"/encoder/block_0/w": 1, "/mlm/dense/weights": 2} {
		if _, err := from.CreateVariable(path, tensors.FromValue([]float32{v, v})); err != nil {
			t.Fatal(err)
		}
	}
	e := &pretrain.BERT{Store: from}
	to, err := copyEncoderWeights(e.Store)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for v := range to.IterVariables() {
		paths = append(paths, v.Path())
	}
	if !slices.Equal(paths, []string{"/encoder/block_0/w"}) {
		t.Fatalf("copied %v, want only /encoder/block_0/w", paths)
	}
	to.GetVariable("/encoder/block_0/w").MustSetValue(tensors.FromValue([]float32{9, 9}))
	if got := tensors.MustCopyFlatData[float32](from.GetVariable("/encoder/block_0/w").MustValue()); !slices.Equal(got, []float32{1, 1}) {
		t.Errorf("changing the copy changed the BERT's weight to %v", got)
	}
	if _, err := copyEncoderWeights(model.NewStore()); err == nil {
		t.Error("a store with no encoder gave no error")
	}
}

func ExampleLongText() {
	fmt.Println(Truncate, "|", ChunkMean)
	// Output: truncate | mean of chunks
}

// NewEncoder needs lesson 07's checkpoint (pretrain.LoadOrTrainBERT trains
// one when it is missing, 1.5 minutes), so this example is compiled but
// not run.
func ExampleNewEncoder() {
	backend := mlx.MustBackend()
	b, err := pretrain.LoadOrTrainBERT(backend)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := NewEncoder(backend, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	v, _ := e.Embed([]string{"패키지를 지우려면?", "패키지 삭제 방법"})
	fmt.Printf("%d values, cosine %.2f\n", len(v[0]), Dot(v[0], v[1]))
}

func ExampleEncoder_Chunks() {
	tok, err := tokenize.TrainWordPiece("apt apt-get dpkg", 30)
	if err != nil {
		panic(err)
	}
	e := &Encoder{Config: transformer.Config{MaxLen: 5}, Tok: tok} // pieces of 3 tokens
	fmt.Println(tokenize.Pieces(tok, "apt dpkg"))
	for _, chunk := range e.Chunks("apt dpkg") {
		var pieces []string
		for _, id := range chunk {
			pieces = append(pieces, tok.Token(int(id)))
		}
		fmt.Println(pieces)
	}
	// Output:
	// [apt d ##p ##k ##g]
	// [[CLS] apt d ##p [SEP]]
	// [[CLS] ##k ##g [SEP]]
}

// BenchmarkEncoder measures sentences per second of lesson 07's encoder
// (from its checkpoint; skipped without one), as BenchmarkMiniLM measures
// MiniLM: the first 64 Korean evaluation questions, in one call, compiled
// before the clock starts; and KorSTS's 2,758 test sentences.
//
//	BAEUM_DATA=../shared/data go test -run '^$' -bench Encoder -benchtime 5x ./lessons/retrieval
func BenchmarkEncoder(b *testing.B) {
	needFAQ(b)
	dir, err := mlx.CheckpointDir(pretrain.BERTCheckpointName())
	if err != nil {
		b.Skip(err)
	}
	bert, err := pretrain.LoadBERT(dir)
	if err != nil {
		b.Skip("no checkpoint of lesson 07's BERT: ", err)
	}
	e, err := NewEncoder(mlx.MustBackend(), bert)
	if err != nil {
		b.Fatal(err)
	}
	qs, err := LoadQuestions("ko")
	if err != nil {
		b.Fatal(err)
	}
	sts, err := LoadKorSTS("test")
	if err != nil {
		b.Fatal(err)
	}
	var sentences []string
	for _, p := range sts {
		sentences = append(sentences, p.A, p.B)
	}
	for _, c := range []struct {
		name  string
		texts []string
	}{{"questions", Queries(qs)[:64]}, {"korsts", sentences}} {
		b.Run(c.name, func(b *testing.B) {
			if _, err := e.Embed(c.texts); err != nil { // compiles the graphs
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if _, err := e.Embed(c.texts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(c.texts))/b.Elapsed().Seconds(), "sentences/s")
		})
	}
}
