package attention

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// LMConfig configures TinyLM, an attention-only character language model:
// embeddings, then Layers times x = x + MultiHead(LayerNorm(x)) with a
// causal mask, then a dense layer to the vocabulary. No MLP: whatever it
// learns beyond the previous character, it learns by attending.
type LMConfig struct {
	Layers, Heads, Dim int     // attention layers, heads per layer, model width
	Context, Batch     int     // characters per window, windows per batch
	Steps              int     // training steps
	LearningRate       float64 // Adam's step size
	KoreanChars        int     // distinct Korean-corpus characters kept in the vocabulary
	KoreanLines        int     // reviews of nsmc/corpus_ko.txt used (the next tenth validates)
	Seed               uint64
}

// DefaultLMConfig is the notebook's configuration: 2 layers of 4 heads,
// 64 wide, 600 steps (about 10 s on 2 cores with XLA). mlx.Quick() shrinks
// the training to 150 steps.
func DefaultLMConfig() LMConfig {
	c := LMConfig{Layers: 2, Heads: 4, Dim: 64, Context: 32, Batch: 32, Steps: 600, LearningRate: 3e-3,
		KoreanChars: 1000, KoreanLines: 20000, Seed: 5}
	if mlx.Quick() {
		c.Steps = 150
	}
	return c
}

// Bilingual is the text TinyLM learns from: Shakespeare and Korean movie
// reviews, encoded with one character vocabulary, split into training and
// validation streams (English first, then Korean).
type Bilingual struct {
	Vocab      *tokenize.Vocab
	Train, Val [][]int32
}

// LoadBilingual reads tinyshakespeare (90% train, 10% validation, as
// nanoGPT splits it) and the first KoreanLines reviews of the Korean corpus
// (plus a tenth more for validation).
func LoadBilingual(cfg LMConfig) (*Bilingual, error) {
	shakespeare, err := mlx.ReadDataFile("tinyshakespeare/input.txt")
	if err != nil {
		return nil, err
	}
	ko, err := mlx.ReadDataFile("nsmc/corpus_ko.txt")
	if err != nil {
		return nil, err
	}
	lines := strings.SplitN(string(ko), "\n", cfg.KoreanLines+cfg.KoreanLines/10+1)
	if len(lines) <= cfg.KoreanLines+cfg.KoreanLines/10 {
		return nil, fmt.Errorf("attention.LoadBilingual: the Korean corpus has only %d lines, %d asked", len(lines), cfg.KoreanLines)
	}
	koTrain := strings.Join(lines[:cfg.KoreanLines], "\n")
	koVal := strings.Join(lines[cfg.KoreanLines:cfg.KoreanLines+cfg.KoreanLines/10], "\n")
	cut := len(shakespeare) * 9 / 10
	enTrain, enVal := string(shakespeare[:cut]), string(shakespeare[cut:])
	en := tokenize.NewCharVocab(enTrain, 0, "[UNK]") // every Shakespeare character, then Korean's most frequent
	tokens := en.Tokens()
	for _, t := range tokenize.NewCharVocab(koTrain, cfg.KoreanChars).Tokens() {
		if en.ID(t) < 0 {
			tokens = append(tokens, t)
		}
	}
	vocab := tokenize.NewVocab(tokens)
	b := &Bilingual{Vocab: vocab}
	for i, text := range []string{enTrain, koTrain, enVal, koVal} {
		ids, err := vocab.Encode(text)
		if err != nil {
			return nil, err
		}
		if i < 2 {
			b.Train = append(b.Train, ids)
		} else {
			b.Val = append(b.Val, ids)
		}
	}
	return b, nil
}

// TinyLM is a trained attention-only model.
type TinyLM struct {
	Config  LMConfig
	Vocab   *tokenize.Vocab
	Store   *model.Store
	History *mlx.History
	ValLoss float64 // mean cross-entropy (nats/char) on 50 validation batches
}

// forward is the model: tokens [batch, seq] -> logits [batch, seq, vocab],
// and each layer's attention weights [batch, heads, seq, seq].
func (c LMConfig) forward(scope *model.Scope, tokens *graph.Node, vocabSize int) (logits *graph.Node, weights []*graph.Node) {
	g := tokens.Graph()
	batch, seq := tokens.Shape().Dim(0), tokens.Shape().Dim(1)
	x := layers.Embedding(scope.In("token"), tokens, dtypes.Float32, vocabSize, c.Dim) // [batch, seq, dim]
	pos := scope.In("position").VariableWithShape("embeddings", shapes.Make(dtypes.Float32, c.Context, c.Dim))
	posEmb := graph.Slice(pos.NodeValue(g), graph.AxisRange(0, seq)) // [seq, dim]
	x = graph.Add(x, graph.InsertAxes(posEmb, 0))                    // [batch, seq, dim]
	causal := CausalMask(g, seq)
	for l := range c.Layers {
		scope := scope.In("layer_%d", l)
		h := norm.LayerNorm(scope, x, -1).Done()
		out, w := MultiHead(scope, h, h, c.Heads, causal)
		x = graph.Add(x, out) // residual: [batch, seq, dim]
		weights = append(weights, w)
	}
	x = norm.LayerNorm(scope.In("final"), x, -1).Done()
	logits = layers.Dense(scope.In("logits"), x, true, vocabSize)
	logits.AssertDims(batch, seq, vocabSize)
	return logits, weights
}

// TrainTinyLM trains the model on data with Adam, shows progress and the
// loss curve, and measures the validation loss.
func TrainTinyLM(backend compute.Backend, data *Bilingual, cfg LMConfig) (*TinyLM, error) {
	ds, err := mlx.NewWindows("bilingual", data.Train, cfg.Batch, cfg.Context, cfg.Seed)
	if err != nil {
		return nil, err
	}
	val, err := mlx.NewWindows("bilingual-val", data.Val, cfg.Batch, cfg.Context, cfg.Seed)
	if err != nil {
		return nil, err
	}
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	modelFn := func(scope *model.Scope, tokens *graph.Node) *graph.Node {
		logits, _ := cfg.forward(scope, tokens, data.Vocab.Size())
		return logits
	}
	trainer := train.NewTrainer(backend, store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
	hist, err := mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 100)
	if err != nil {
		return nil, err
	}
	m, err := trainer.Eval(val.Fixed(50, 99))
	if err != nil {
		return nil, fmt.Errorf("attention.TrainTinyLM: evaluating: %w", err)
	}
	return &TinyLM{Config: cfg, Vocab: data.Vocab, Store: store, History: hist, ValLoss: float64(m[0].Value().(float32))}, nil
}
