package rnn

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/lstm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

func TestCorpusUnknown(t *testing.T) {
	// The vocabulary comes from the training part only; a capped one maps
	// the rare characters to Unknown, id 0.
	c := NewCorpus("capped", "aaaabbcxyz", 1, 0.3)
	if c.Vocab.Size() != 2 || c.Vocab.ID(Unknown) != 0 {
		t.Fatalf("vocabulary %q, want [UNK] and a", c.Vocab.Tokens())
	}
	if got := c.Vocab.Decode(append(c.Train, c.Val...)); got != "aaaa[UNK][UNK][UNK][UNK][UNK][UNK]" {
		t.Errorf("decoded %q", got)
	}
}

func TestWindows(t *testing.T) {
	in, lab := Windows([]int32{1, 2, 3, 4, 5, 6, 7}, 3)
	if len(in) != 2 || in[1][0] != 4 || lab[0][0] != 2 || lab[1][2] != 7 {
		t.Errorf("Windows: inputs %v labels %v", in, lab)
	}
}

func TestProbabilitiesAndSample(t *testing.T) {
	p := Probabilities([]float32{1, 1, 1 + float32(math.Log(2))}, 1)
	if math.Abs(p[2]-0.5) > 1e-6 || math.Abs(p[0]-0.25) > 1e-6 {
		t.Errorf("softmax %v, want [0.25 0.25 0.5]", p)
	}
	cold := Probabilities([]float32{1, 2}, 0.1)
	if cold[1] < 0.9999 {
		t.Errorf("temperature 0.1 should all but pick the largest logit: %v", cold)
	}
	if Sample([]float64{0.2, 0.3, 0.5}, 0.1) != 0 || Sample([]float64{0.2, 0.3, 0.5}, 0.45) != 1 || Sample([]float64{0.2, 0.3, 0.5}, 0.99) != 2 {
		t.Error("sample picks the wrong index")
	}
}

// A tiny model on a repetitive text: the loss falls, generation and the
// state-carrying step agree with the batched forward pass, and the
// checkpoint round trip keeps the validation loss.
func TestTrainGenerateSaveLoad(t *testing.T) {
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	text := strings.Repeat("the cat sat on the mat. ", 1000)
	corpus := NewCorpus("tiny", text, 0, 0.2)
	cfg := Config{SeqLen: 8, BatchSize: 16, Steps: 40, LearningRate: 2e-2, Seed: 1, Points: 10}
	lm, hist, err := Train(mlx.MustBackend(), corpus, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !(hist.LastLoss() < hist.FirstLoss()/2) {
		t.Errorf("loss did not fall: %.3f -> %.3f", hist.FirstLoss(), hist.LastLoss())
	}
	val, err := lm.Loss(corpus.Val, cfg.SeqLen)
	if err != nil {
		t.Fatal(err)
	}
	if val > 1.5 { // uniform over 12 characters would be ln 12 = 2.48
		t.Errorf("validation loss %.3f after training on a repeated sentence", val)
	}
	out, err := lm.Generate("the cat ", 30, 0.5, 1)
	if err != nil || len([]rune(out)) != 30 {
		t.Fatalf("Generate: %q %v", out, err)
	}
	if !strings.Contains(out, "at") {
		t.Errorf("generated %q: nothing like the training sentence", out)
	}
	guesses, err := lm.Next("the cat s", 3)
	if err != nil || guesses[0].Char != "a" {
		t.Errorf("after %q the likeliest next character is %+v, want \"a\"", "the cat s", guesses)
	}
	dir, err := lm.SaveAs("tiny")
	if err != nil || filepath.Base(dir) != "rnn-tiny" {
		t.Fatalf("SaveAs: %q %v", dir, err)
	}
	back, err := Load(mlx.MustBackend(), corpus)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := back.Loss(corpus.Val, cfg.SeqLen); again != val {
		t.Errorf("validation loss %v before saving, %v after loading", val, again)
	}
	if _, err := Load(mlx.MustBackend(), &Corpus{Name: "missing", Vocab: corpus.Vocab}); err == nil {
		t.Error("a missing checkpoint loaded")
	}
	// The same name with another vocabulary (4 ids instead of 12): the
	// checkpoint's embedding has another shape.
	other := NewCorpus("tiny", strings.Repeat("abc", 100), 0, 0.1)
	if _, err := Load(mlx.MustBackend(), other); err == nil || !strings.Contains(err.Error(), "train again") {
		t.Errorf("a checkpoint of another vocabulary: %v", err)
	}
}

// LSTM gives the numbers of GoMLX's layers/lstm (the ONNX LSTM) with the
// same weights, rearranged into its layout: gates i, o, f, c (ours: i, f,
// g, o), weights [gate, out, in], biases split into input and recurrent.
func TestLSTMMatchesGoMLX(t *testing.T) {
	const vocab = 5
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(3))
	e, err := model.NewExec(mlx.MustBackend(), store, func(scope *model.Scope, tokens *Node) []*Node {
		g := tokens.Graph()
		scope = scope.WithInitializer(initializer.RandomNormalFn(scope, 0.3))
		emb := scope.VariableWithShape("embeddings", shapes.Make(dtypes.Float32, vocab, EmbedDim)).NodeValue(g)
		lstmScope := scope.In("lstm")
		all, _, c := LSTM(lstmScope, emb, tokens, nil, nil)
		wx := lstmScope.VariableWithShape("Wx", shapes.Make(dtypes.Float32, EmbedDim, 4*HiddenDim)).NodeValue(g)
		wh := lstmScope.VariableWithShape("Wh", shapes.Make(dtypes.Float32, HiddenDim, 4*HiddenDim)).NodeValue(g)
		b := lstmScope.VariableWithValue("b", make([]float32, 4*HiddenDim)).NodeValue(g)
		onnx := func(w *Node, in int) *Node { // [in, 4*128] -> [1, 4, 128, in], gates reordered
			w = TransposeAllAxes(Reshape(w, in, 4, HiddenDim), 1, 2, 0) // [4, 128, in]
			gates := Split(w, 0, 4)
			return InsertAxes(Concatenate([]*Node{gates[0], gates[3], gates[1], gates[2]}, 0), 0)
		}
		bGates := Split(Reshape(b, 4, HiddenDim), 0, 4)
		bias := Concatenate([]*Node{bGates[0], bGates[3], bGates[1], bGates[2], ZerosLike(Reshape(b, 4, HiddenDim))}, 0)
		x := Gather(emb, InsertAxes(tokens, -1))
		want, _, wantC := lstm.NewWithWeights(x, onnx(wx, EmbedDim), onnx(wh, HiddenDim), InsertAxes(bias, 0), nil).Done()
		want = TransposeAllAxes(Reshape(want, 3, 2, HiddenDim), 1, 0, 2) // [batch, seq, 128]
		return []*Node{ReduceAllMax(Abs(Sub(all, want))), ReduceAllMax(Abs(Sub(c, wantC))), ReduceAllMax(Abs(want))}
	})
	if err != nil {
		t.Fatal(err)
	}
	out, err := e.Exec(tensors.FromValue([][]int32{{1, 4, 2}, {0, 3, 3}})) // batch 2, seq 3
	if err != nil {
		t.Fatal(err)
	}
	diffH, diffC, size := tensors.ToScalar[float32](out[0]), tensors.ToScalar[float32](out[1]), tensors.ToScalar[float32](out[2])
	if diffH > 1e-5 || diffC > 1e-5 || size < 0.1 {
		t.Errorf("LSTM vs layers/lstm: hidden states differ by %g, cell states by %g (largest |h| %g)", diffH, diffC, size)
	}
}
