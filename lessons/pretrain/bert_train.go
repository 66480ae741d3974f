package pretrain

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/metric"
)

// BERTConfig is a masked-LM + next-sentence-prediction training run.
type BERTConfig struct {
	Model          transformer.Config // an encoder; SrcVocab is set from the tokenizer, MaxLen is the sequence length
	Batch, Steps   int
	MaxPredictions int // masked positions per sequence (BERT: max_predictions_per_seq)
	Schedule       transformer.Schedule
	WeightDecay    float64
	TokLines       int // reviews the WordPiece vocabulary is trained on (with the FAQ)
	TrainLines     int // reviews the pairs are drawn from
	ValLines       int // held-out reviews, for the accuracies
	VocabSize      int
	EvalBatches    int
	Seed           uint64
}

// DefaultBERTConfig is the notebook's run, sized to learn something in
// about a minute and a half on 2 cores: a 1-layer, 128-wide encoder on
// 32-token pairs, batch 64, 1,000 steps, a WordPiece vocabulary of 3,300
// tokens (mostly syllables and their "##" forms, plus the most frequent
// words). Measured on this budget, one layer learned the masked tokens
// faster than two, and a 3,300-token vocabulary faster than 8,000 (fewer,
// more frequent tokens to learn). mlx.Quick() trains 200 steps.
func DefaultBERTConfig() BERTConfig {
	steps := 1000
	if mlx.Quick() {
		steps = 200
	}
	return BERTConfig{
		Model: transformer.Config{Dim: 128, Heads: 4, EncoderLayers: 1, MLPRatio: 4, MaxLen: 32, InitStd: 0.02},
		Batch: 64, Steps: steps, MaxPredictions: 5,
		Schedule:    transformer.Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: steps / 20, Steps: steps},
		WeightDecay: 0.01,
		TokLines:    4000, TrainLines: 100000, ValLines: 5000, VocabSize: 3300,
		EvalBatches: 20, Seed: 7,
	}
}

// bertExamples draws batch pairs from docs, packs and masks them.
func bertExamples(c *Corpus, docs [2][][]int32, batch, seqLen, maxPred int, rng *rand.Rand) ([]Pair, []Masked) {
	pairs, masked := make([]Pair, batch), make([]Masked, batch)
	for i := range batch {
		pairs[i] = c.NextSentencePair(docs, rng)
		tok, _ := Pack(pairs[i], seqLen)
		masked[i] = Mask(tok, c.Tok.VocabSize(), maxPred, rng)
	}
	return pairs, masked
}

// bertBatch lays examples out as tensors: inputs (tokens, segments, masked
// positions), labels (original tokens [batch, P, 1], which predictions are
// real [batch, P], is-next [batch, 1]).
func bertBatch(pairs []Pair, masked []Masked, seqLen int) train.Batch {
	var tokens, segments, positions, labels, next []int32
	var real []bool
	for i, p := range pairs {
		_, seg := Pack(p, seqLen)
		m := masked[i]
		tokens, segments = append(tokens, m.Input...), append(segments, seg...)
		positions, labels = append(positions, m.Positions...), append(labels, m.Labels...)
		for _, w := range m.Weights {
			real = append(real, w > 0)
		}
		next = append(next, map[bool]int32{false: 0, true: 1}[p.IsNext])
	}
	batch, maxPred := len(pairs), len(masked[0].Positions)
	return train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(tokens, batch, seqLen),
			tensors.FromFlatDataAndDimensions(segments, batch, seqLen), tensors.FromFlatDataAndDimensions(positions, batch, maxPred)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(labels, batch, maxPred, 1),
			tensors.FromFlatDataAndDimensions(real, batch, maxPred), tensors.FromFlatDataAndDimensions(next, batch, 1)}}
}

type bertData struct {
	c                      *Corpus
	batch, seqLen, maxPred int
	rng                    *rand.Rand
}

func (d *bertData) Name() string { return "korean-mlm-nsp" }

func (d *bertData) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for {
			pairs, masked := bertExamples(d.c, [2][][]int32{d.c.Reviews, d.c.FAQ}, d.batch, d.seqLen, d.maxPred, d.rng)
			if !yield(bertBatch(pairs, masked, d.seqLen), nil) {
				return
			}
		}
	}
}

// bertLoss is BERT's pretraining loss: the cross-entropy of the masked
// tokens (mean over the real predictions) plus that of next-sentence
// prediction.
func bertLoss(labels, predictions []*graph.Node) *graph.Node {
	mlm := loss.SparseCategoricalCrossEntropyLogits(labels[:2], predictions[:1]) // labels[1], a bool mask, skips padding
	nsp := loss.SparseCategoricalCrossEntropyLogits(labels[2:], predictions[1:])
	return graph.Add(mlm, nsp)
}

// guesses are the model's answers: the most likely token of each masked
// position [batch, P] and is-next (1) or not (0) [batch].
func guesses(predictions []*graph.Node) (mlm, nsp *graph.Node) {
	return graph.ArgMax(predictions[0], -1, dtypes.Int32), graph.ArgMax(predictions[1], -1, dtypes.Int32)
}

// BERT is a pretrained encoder with its tokenizer and the accuracies
// measured on held-out text.
type BERT struct {
	Config         transformer.Config
	MaxPredictions int
	Tok            *tokenize.WordPiece
	Store          *model.Store
	History        *mlx.History
	Eval           BERTEval
}

// BERTEval is what the pretrained model gets right on held-out pairs.
type BERTEval struct {
	MLMAccuracy float64 // masked review tokens predicted exactly right
	MLMBaseline float64 // the same, always guessing the most frequent masked token
	NSPAccuracy float64 // next-sentence predictions right (chance: 50%)
	// NSP accuracy by kind of pair: true continuations, random B from the
	// other corpus (review vs FAQ), random B from the same corpus.
	NSPTrue, NSPOtherCorpus, NSPSameCorpus float64
}

func (c BERTConfig) modelFn(m transformer.Config) func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
	return func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		c.Schedule.Apply(scope, inputs[0].Graph())
		mlm, nsp := bertHeads(scope, Encode(scope, inputs[0], inputs[1], m), inputs[2], m)
		return []*graph.Node{mlm, nsp}
	}
}

// TrainBERT pretrains an encoder with both of BERT's objectives at once on
// pairs from the corpus, then measures the accuracies on held-out text.
func TrainBERT(backend compute.Backend, c *Corpus, cfg BERTConfig) (*BERT, error) {
	cfg.Model.SrcVocab = c.Tok.VocabSize()
	b := &BERT{Config: cfg.Model, MaxPredictions: cfg.MaxPredictions, Tok: c.Tok, Store: model.NewStore()}
	b.Store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	accuracy := func(name, short string, fn func(labels, predictions []*graph.Node) *graph.Node) metric.Interface {
		return metric.NewExponentialMovingAverageMetric(name, short, metric.AccuracyMetricType,
			func(_ *model.Scope, labels, predictions []*graph.Node) *graph.Node { return fn(labels, predictions) }, nil, 0.05)
	}
	asFloat := func(x *graph.Node) *graph.Node { return graph.ConvertDType(x, dtypes.Float32) }
	metrics := []metric.Interface{
		accuracy("masked-token accuracy", "mlm_acc", func(labels, predictions []*graph.Node) *graph.Node {
			mlm, _ := guesses(predictions)
			right := graph.LogicalAnd(graph.Equal(mlm, graph.Reshape(labels[0], mlm.Shape().Dimensions...)), labels[1])
			return graph.Div(graph.ReduceAllSum(asFloat(right)), graph.ReduceAllSum(asFloat(labels[1])))
		}),
		accuracy("next-sentence accuracy", "nsp_acc", func(labels, predictions []*graph.Node) *graph.Node {
			_, nsp := guesses(predictions)
			return graph.ReduceAllMean(asFloat(graph.Equal(nsp, graph.Reshape(labels[2], nsp.Shape().Dim(0)))))
		}),
	}
	trainer := train.NewTrainer(backend, b.Store, cfg.modelFn(b.Config), bertLoss,
		AdamW{Beta2: 0.999, Decay: cfg.WeightDecay, Clip: 1}, metrics, nil)
	ds := &bertData{c: c, batch: cfg.Batch, seqLen: cfg.Model.MaxLen, maxPred: cfg.MaxPredictions, rng: rand.New(rand.NewPCG(cfg.Seed, 3))}
	var err error
	if b.History, err = mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 100); err != nil {
		return nil, err
	}
	b.Eval, err = b.evaluate(backend, c, cfg)
	return b, err
}

// evaluate measures the accuracies on EvalBatches batches of pairs drawn
// from the held-out reviews and FAQ text (the same pairs for the same seed).
func (b *BERT) evaluate(backend compute.Backend, c *Corpus, cfg BERTConfig) (BERTEval, error) {
	exec, err := model.NewExec(backend, b.Store, func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		mlm, nsp := guesses(cfg.modelFn(b.Config)(scope, inputs))
		return []*graph.Node{mlm, nsp}
	})
	if err != nil {
		return BERTEval{}, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed+1, 4))
	var mlmRight, mlmTotal float64
	var nspRight, nspTotal [3]float64 // true, other corpus, same corpus
	counts := map[int32]float64{}
	for range cfg.EvalBatches {
		pairs, masked := bertExamples(c, [2][][]int32{c.ReviewsVal, c.FAQVal}, cfg.Batch, cfg.Model.MaxLen, cfg.MaxPredictions, rng)
		out, err := exec.Exec(bertBatch(pairs, masked, cfg.Model.MaxLen).Inputs)
		if err != nil {
			return BERTEval{}, fmt.Errorf("pretrain.TrainBERT: evaluation: %w", err)
		}
		mlm, nsp := tensors.MustCopyFlatData[int32](out[0]), tensors.MustCopyFlatData[int32](out[1])
		for i, p := range pairs {
			kind := 0
			if !p.IsNext {
				kind = map[bool]int{true: 2, false: 1}[p.SourceA == p.SourceB]
			}
			nspTotal[kind]++
			if (nsp[i] == 1) == p.IsNext {
				nspRight[kind]++
			}
			if p.SourceA != Review || p.SourceB != Review {
				continue // the masked-LM accuracy is measured on reviews
			}
			for k, w := range masked[i].Weights {
				if w > 0 {
					mlmTotal++
					counts[masked[i].Labels[k]]++
					if mlm[i*cfg.MaxPredictions+k] == masked[i].Labels[k] {
						mlmRight++
					}
				}
			}
		}
	}
	top := 0.0
	for _, n := range counts {
		top = max(top, n)
	}
	return BERTEval{MLMAccuracy: mlmRight / mlmTotal, MLMBaseline: top / mlmTotal,
		NSPAccuracy: (nspRight[0] + nspRight[1] + nspRight[2]) / (nspTotal[0] + nspTotal[1] + nspTotal[2]),
		NSPTrue:     nspRight[0] / nspTotal[0], NSPOtherCorpus: nspRight[1] / nspTotal[1], NSPSameCorpus: nspRight[2] / nspTotal[2]}, nil
}
