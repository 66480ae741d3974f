package pretrain

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func TestSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	logits := []float32{2, 1, 0, -1}
	counts := make([]float64, 4)
	const n = 40000
	for range n {
		counts[Sample(logits, 1, 2, rng)]++
	}
	// top-2 softmax of [2 1]: e/(e+1) = 0.7311, 1/(e+1) = 0.2689; the others never.
	if counts[2] != 0 || counts[3] != 0 {
		t.Errorf("top-k 2 drew tokens 2 or 3: %v", counts)
	}
	if p := counts[0] / n; math.Abs(p-0.7311) > 0.01 {
		t.Errorf("P(0) = %.4f, want 0.7311", p)
	}
	for range 100 { // a very low temperature is argmax
		if got := Sample(logits, 0.01, 0, rng); got != 0 {
			t.Fatalf("temperature 0.01 drew %d", got)
		}
	}
}

func TestPack(t *testing.T) {
	tok, seg := Pack(Pair{A: []int32{10, 11}, B: []int32{20}}, 8)
	if want := []int32{clsID, 10, 11, sepID, 20, sepID, padID, padID}; !slices.Equal(tok, want) {
		t.Errorf("tokens %v, want %v", tok, want)
	}
	if want := []int32{0, 0, 0, 0, 1, 1, 0, 0}; !slices.Equal(seg, want) {
		t.Errorf("segments %v, want %v", seg, want)
	}
	// Too long: A keeps its end, B its start (the junction).
	tok, _ = Pack(Pair{A: []int32{10, 11, 12, 13, 14}, B: []int32{20, 21, 22, 23}}, 8)
	if want := []int32{clsID, 13, 14, sepID, 20, 21, 22, sepID}; !slices.Equal(tok, want) {
		t.Errorf("truncated tokens %v, want %v", tok, want)
	}
}

func TestAdamWDecaysOnlyMatrices(t *testing.T) {
	store := model.NewStore()
	opt := AdamW{Beta2: 0.99, Decay: 0.5, Clip: 1}
	exec := model.MustNewExec(mlx.MustBackend(), store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		w := scope.VariableWithValue("w", [][]float32{{1, 2}, {3, 4}}).NodeValue(g)
		b := scope.VariableWithValue("b", []float32{1, 2}).NodeValue(g)
		loss := graph.MulScalar(graph.Add(graph.ReduceAllSum(w), graph.ReduceAllSum(b)), 0) // zero gradients
		store.SetTraining(g, true)
		opt.UpdateGraph(scope, g, loss)
		return loss
	})
	exec.MustExec()
	lr := 1e-3 // Adam's default, no schedule
	w := tensors.MustCopyFlatData[float32](store.GetVariable("/w").MustValue())
	b := tensors.MustCopyFlatData[float32](store.GetVariable("/b").MustValue())
	for i, want := range []float64{1, 2, 3, 4} {
		if got := float64(w[i]); math.Abs(got-want*(1-lr*0.5)) > 1e-6 {
			t.Errorf("w[%d] = %.7f, want %.7f (decayed)", i, got, want*(1-lr*0.5))
		}
	}
	if b[0] != 1 || b[1] != 2 {
		t.Errorf("bias changed to %v: vectors must not decay", b)
	}
}

func TestGPTLearnsAndGenerates(t *testing.T) {
	backend := mlx.MustBackend()
	data, err := LoadShakespeare()
	if err != nil {
		t.Fatal(err)
	}
	if data.Vocab.Size() != 65 {
		t.Errorf("vocabulary of %d characters, nanoGPT has 65", data.Vocab.Size())
	}
	cfg := NanoGPTConfig()
	cfg.Model = transformer.Config{Dim: 16, Heads: 2, DecoderLayers: 1, MLPRatio: 2, MaxLen: 16, InitStd: 0.02, TieEmbeddings: true}
	cfg.Steps, cfg.Batch, cfg.EvalBatches = 80, 8, 4
	cfg.Schedule = transformer.Schedule{LearningRate: 1e-2, MinLR: 1e-3, Warmup: 5, Steps: 80}
	g, err := TrainGPT(backend, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h := g.History; !(h.LastLoss() < h.FirstLoss()-0.8) || !(g.ValLoss < h.FirstLoss()-0.8) {
		t.Errorf("loss %v -> %v, validation %v: it did not learn", h.FirstLoss(), h.LastLoss(), g.ValLoss)
	}
	dir := t.TempDir() + "/gpt"
	if err := g.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadGPT(dir)
	if err != nil {
		t.Fatal(err)
	}
	text, err := back.Generate(backend, "ROMEO:", 30, 0.8, 5, 1) // longer than MaxLen: the window slides
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(text, "ROMEO:") || len([]rune(text)) != 36 {
		t.Errorf("generated %q", text)
	}
}

func TestNextSentencePairs(t *testing.T) {
	tok, err := tokenize.NewWordPiece([]string{"[PAD]", "[UNK]"}) // ids 10-61 are no "##" pieces: any cut is a word boundary
	if err != nil {
		t.Fatal(err)
	}
	c := &Corpus{Tok: tok}
	docs := [2][][]int32{{{10, 11, 12}, {20, 21, 22, 23}, {30, 31}}, {{50, 51, 52, 53, 54}, {60, 61}}}
	rng := rand.New(rand.NewPCG(2, 2))
	var next, faqA, otherCorpus float64
	const n = 8000
	for range n {
		p := c.NextSentencePair(docs, rng)
		if len(p.A) == 0 || len(p.B) == 0 {
			t.Fatalf("empty part: %+v", p)
		}
		if p.SourceA == FAQ {
			faqA++
		}
		if p.IsNext {
			next++
			joined := append(append([]int32(nil), p.A...), p.B...)
			if p.SourceB != p.SourceA || !slices.ContainsFunc(docs[p.SourceA], func(d []int32) bool { return slices.Equal(d, joined) }) {
				t.Fatalf("a true pair that is not one document: %v + %v", p.A, p.B)
			}
			continue
		}
		if p.A[0]/10 == p.B[0]/10 {
			t.Fatalf("a random pair from the same document: %v + %v", p.A, p.B)
		}
		if (p.B[0] >= 50) != (p.SourceB == FAQ) {
			t.Fatalf("B %v does not come from source %d", p.B, p.SourceB)
		}
		if p.SourceB != p.SourceA {
			otherCorpus++
		}
	}
	for name, got := range map[string]float64{"true next": next / n, "A from the FAQ": faqA / n, "random B from the other corpus": otherCorpus / (n - next)} {
		if math.Abs(got-0.5) > 0.03 {
			t.Errorf("%s: %.3f, want 0.5", name, got)
		}
	}
}

func TestBERTLearns(t *testing.T) {
	backend := mlx.MustBackend()
	c, err := LoadCorpus(1000, 2000, 200, 4500)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultBERTConfig()
	cfg.Model = transformer.Config{Dim: 16, Heads: 2, EncoderLayers: 1, MLPRatio: 2, MaxLen: 24, InitStd: 0.02}
	cfg.Batch, cfg.Steps, cfg.MaxPredictions, cfg.EvalBatches = 8, 40, 4, 3
	cfg.Schedule = transformer.Schedule{LearningRate: 5e-3, MinLR: 5e-4, Warmup: 2, Steps: 40}
	b, err := TrainBERT(backend, c, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h := b.History; !(h.LastLoss() < h.FirstLoss()) {
		t.Errorf("loss did not fall: %v -> %v", h.FirstLoss(), h.LastLoss())
	}
	e := b.Eval
	for _, acc := range []float64{e.MLMAccuracy, e.MLMBaseline, e.NSPAccuracy, e.NSPTrue, e.NSPOtherCorpus, e.NSPSameCorpus} {
		if acc < 0 || acc > 1 {
			t.Errorf("accuracy %v outside [0, 1]", acc)
		}
	}
	dir := t.TempDir() + "/bert"
	if err := b.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadBERT(dir)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := back.FillMasks(backend, "이 영화 정말 [MASK] 있어요", 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Blanks) != 1 || len(ex.Blanks[0].Guesses) != 3 || ex.Blanks[0].Probs[0] < ex.Blanks[0].Probs[2] {
		t.Errorf("blanks %+v", ex.Blanks)
	}
	p, err := back.IsNextProb(backend, "이 영화", "정말 좋아요")
	if err != nil || p < 0 || p > 1 {
		t.Errorf("IsNextProb = %v, %v", p, err)
	}
}
