package pretrain_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/mlx"
)

func ExampleNanoGPTConfig() {
	c := pretrain.NanoGPTConfig()
	c.Model.TgtVocab = 65
	fmt.Printf("%d layers, %d heads, %d wide, context %d, batch %d: %.2fM parameters\n",
		c.Model.DecoderLayers, c.Model.Heads, c.Model.Dim, c.Model.MaxLen, c.Batch, float64(c.Model.Params())/1e6)
	// Output: 4 layers, 4 heads, 128 wide, context 64, batch 12: 0.81M parameters
}

func ExampleLoadShakespeare() {
	data, err := pretrain.LoadShakespeare()
	if err != nil {
		panic(err)
	}
	fmt.Println(data.Vocab.Size(), "characters;", len(data.Train), "to train,", len(data.Val), "to validate")
	// Output: 65 characters; 1003854 to train, 111540 to validate
}

func ExampleSample() {
	rng := rand.New(rand.NewPCG(1, 2))
	logits := []float32{2, 1, 0, -1}
	counts := make([]int, 4)
	for range 1000 {
		counts[pretrain.Sample(logits, 1, 2, rng)]++ // temperature 1, top-2
	}
	fmt.Println(counts) // about 73% and 27% (softmax of [2 1]); tokens 2 and 3 are cut by top-k
	// Output: [730 270 0 0]
}

func ExampleProbabilities() {
	fmt.Printf("%.3f\n", pretrain.Probabilities([]float32{2, 1, 0}, 1, 2))   // top-2: the 0 is cut
	fmt.Printf("%.3f\n", pretrain.Probabilities([]float32{2, 1, 0}, 0.5, 0)) // colder: sharper
	// Output:
	// [0.731 0.269 0.000]
	// [0.867 0.117 0.016]
}

func ExampleMaskDecision() {
	for _, u := range []float64{0.5, 0.85, 0.95} {
		fmt.Println(u, pretrain.MaskDecision(u))
	}
	// Output:
	// 0.5 [MASK]
	// 0.85 random
	// 0.95 unchanged
}

func ExamplePack() {
	tokens, segments := pretrain.Pack(pretrain.Pair{A: []int32{10, 11}, B: []int32{20, 21, 22}}, 10)
	fmt.Println(tokens)
	fmt.Println(segments)
	// Output:
	// [2 10 11 3 20 21 22 3 0 0]
	// [0 0 0 0 1 1 1 1 0 0]
}

func ExampleMask() {
	tokens := []int32{2, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 3} // [CLS] ten tokens [SEP]
	m := pretrain.Mask(tokens, 100, 4, rand.New(rand.NewPCG(1, 1)))
	fmt.Println("input    ", m.Input)
	fmt.Println("positions", m.Positions, "labels", m.Labels, "weights", m.Weights)
	// Output:
	// input     [2 10 11 12 4 14 4 16 17 18 19 3]
	// positions [4 6 0 0] labels [13 15 0 0] weights [1 1 0 0]
}

// TestLoadCorpus pins the first review's WordPiece tokens on the shared
// folder's corpus and on the one derived from NSMC's canonical files
// (mlx.Golden).
func TestLoadCorpus(t *testing.T) {
	c, err := pretrain.LoadCorpus(1000, 1000, 100, 4500)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.FAQ) != 17 || c.Tok.VocabSize() != 4500 {
		t.Errorf("%d FAQ pages, %d WordPiece tokens; want 17 and 4500", len(c.FAQ), c.Tok.VocabSize())
	}
	var pieces []string
	for _, id := range c.Reviews[0] {
		pieces = append(pieces, c.Tok.Token(int(id)))
	}
	want := mlx.Golden("nsmc/corpus_ko.txt", "기대를 저버리 ##지않 ##았 ##음 인정", "그냥 프로그램 내 ##려 ##라 없는 ##게 낫 ##다")
	if got := strings.Join(pieces, " "); got != want {
		t.Errorf("first review: %s, want %s", got, want)
	}
	pair := c.NextSentencePair([2][][]int32{c.Reviews, c.FAQ}, rand.New(rand.NewPCG(3, 3)))
	if !pair.IsNext || pair.SourceA != pretrain.FAQ || pair.SourceB != pretrain.FAQ {
		t.Errorf("pair with seed 3: IsNext %v, sources %v %v; want a next-sentence pair from the FAQ", pair.IsNext, pair.SourceA, pair.SourceB)
	}
}

func ExampleTrainGPT() {
	backend := mlx.MustBackend()
	data, _ := pretrain.LoadShakespeare()
	g, err := pretrain.TrainGPT(backend, data, pretrain.NanoGPTConfig())
	if err != nil {
		panic(err)
	}
	fmt.Printf("validation loss %.2f\n", g.ValLoss)
	text, _ := g.Generate(backend, "ROMEO:", 200, 0.8, 10, 1)
	fmt.Println(text)
	// Not run as a test (two minutes of training); TestGPTLearnsAndGenerates runs a tiny one.
}

func ExampleTrainBERT() {
	backend := mlx.MustBackend()
	cfg := pretrain.DefaultBERTConfig()
	c, _ := pretrain.LoadCorpus(cfg.TokLines, cfg.TrainLines, cfg.ValLines, cfg.VocabSize)
	b, err := pretrain.TrainBERT(backend, c, cfg)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", b.Eval)
	ex, _ := b.FillMasks(backend, "이 영화 [MASK] 재밌어요", 5)
	pretrain.ShowFills([]pretrain.FillExample{ex})
	// Not run as a test (a minute and a half of training); TestBERTLearns runs a tiny one.
}
