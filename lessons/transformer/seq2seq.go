package transformer

import (
	"fmt"
	"html"
	"iter"
	"math/rand/v2"
	"strings"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// DateConfig is the training run of the date lesson.
type DateConfig struct {
	Model        Config
	Batch, Steps int
	LearningRate float64
	TrainPairs   int // distinct training examples drawn once
	Seed         uint64
}

// DefaultDateConfig is the notebook's full run: SmallSeq2Seq, 800 steps
// of 64 examples. mlx.Quick() shrinks it to 300 steps.
func DefaultDateConfig() DateConfig {
	c := DateConfig{Model: SmallSeq2Seq(DateVocab().Size(), SrcLen), Batch: 64, Steps: 800, LearningRate: 2e-3,
		TrainPairs: 50000, Seed: 1}
	if mlx.Quick() {
		c.Steps = 300
	}
	return c
}

// DateModel is a trained date rewriter.
type DateModel struct {
	Config  Config
	Vocab   *tokenize.Vocab
	Store   *model.Store
	History *mlx.History
}

// dateBatches serves random batches of the encoded training pairs:
// inputs (src, decoder input), labels (targets [batch, TgtLen, 1]).
type dateBatches struct {
	src, in, out []int32
	batch        int
	rng          *rand.Rand
}

func (d *dateBatches) Name() string { return "dates" }

func (d *dateBatches) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		n := len(d.src) / SrcLen
		for {
			src, in, out := make([]int32, 0, d.batch*SrcLen), make([]int32, 0, d.batch*TgtLen), make([]int32, 0, d.batch*TgtLen)
			for range d.batch {
				i := d.rng.IntN(n)
				src = append(src, d.src[i*SrcLen:(i+1)*SrcLen]...)
				in = append(in, d.in[i*TgtLen:(i+1)*TgtLen]...)
				out = append(out, d.out[i*TgtLen:(i+1)*TgtLen]...)
			}
			b := train.Batch{
				Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(src, d.batch, SrcLen),
					tensors.FromFlatDataAndDimensions(in, d.batch, TgtLen)},
				Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(out, d.batch, TgtLen, 1)}}
			if !yield(b, nil) {
				return
			}
		}
	}
}

// TrainDates trains an EncoderDecoder on dates with Adam (warm-up over the
// first 5% of the steps, then a cosine decay to a twentieth of the learning
// rate), showing progress and the loss curve.
func TrainDates(backend compute.Backend, cfg DateConfig) (*DateModel, error) {
	vocab := DateVocab()
	src, in, out, err := EncodeDates(vocab, RandomDates(cfg.TrainPairs, false, cfg.Seed))
	if err != nil {
		return nil, err
	}
	m := &DateModel{Config: cfg.Model, Vocab: vocab, Store: model.NewStore()}
	m.Store.SetParam(model.ParamInitialSeed, int64(cfg.Seed))
	pad := vocab.ID(PAD)
	modelFn := func(scope *model.Scope, src, tgtIn *graph.Node) *graph.Node {
		Schedule{LearningRate: cfg.LearningRate, MinLR: cfg.LearningRate / 20, Warmup: cfg.Steps / 20, Steps: cfg.Steps}.Apply(scope, src.Graph())
		logits, _ := EncoderDecoder(scope, src, tgtIn, pad, m.Config) // [batch, TgtLen, vocab]
		return logits
	}
	trainer := train.NewTrainer(backend, m.Store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
	ds := &dateBatches{src: src, in: in, out: out, batch: cfg.Batch, rng: rand.New(rand.NewPCG(cfg.Seed, 12))}
	m.History, err = mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 100)
	return m, err
}

const dateModelFile = "dates.json"

// Save writes the weights and the Config into dir.
func (m *DateModel) Save(dir string) error {
	return mlx.SaveCheckpoint(m.Store, dir, mlx.JSONSidecar(dateModelFile, m.Config))
}

// LoadDateModel reads a model written by Save.
func LoadDateModel(dir string) (*DateModel, error) {
	m := &DateModel{Vocab: DateVocab()}
	store, err := mlx.LoadCheckpointJSON(dir, dateModelFile, &m.Config)
	if err != nil {
		return nil, fmt.Errorf("transformer.LoadDateModel: %w", err)
	}
	m.Store = store
	return m, nil
}

// Rewritten is the model's answer for one source, with the cross-attention
// that wrote it: Cross[block][head][i][j] is how much the decoder, writing
// output character i, looked at source character j.
type Rewritten struct {
	Src, Out  string
	SrcTokens []string
	OutTokens []string
	Cross     [][][][]float64
}

// Rewrite decodes greedily: starting from [BOS], it runs the compiled
// model on the whole batch, takes the most likely next character at the
// current position, writes it into the decoder input, and repeats TgtLen
// times (a host-side loop; no key/value cache, so each step recomputes
// everything, which is fine at this size).
func (m *DateModel) Rewrite(backend compute.Backend, srcs []string) ([]Rewritten, error) {
	pairs := make([]DatePair, len(srcs))
	for i, s := range srcs {
		pairs[i] = DatePair{Src: s, Tgt: "0000-00-00"}
	}
	src, in, _, err := EncodeDates(m.Vocab, pairs)
	if err != nil {
		return nil, err
	}
	n, pad := len(srcs), m.Vocab.ID(PAD)
	for i := range in {
		if i%TgtLen != 0 {
			in[i] = pad // only [BOS] is known at the start
		}
	}
	exec, err := model.NewExec(backend, m.Store, func(scope *model.Scope, src, tgtIn *graph.Node) []*graph.Node {
		logits, cross := EncoderDecoder(scope, src, tgtIn, pad, m.Config)                   // [n, TgtLen, vocab], blocks × [n, heads, TgtLen, SrcLen]
		return []*graph.Node{graph.ArgMax(logits, -1, dtypes.Int32), graph.Stack(cross, 1)} // [n, blocks, heads, TgtLen, SrcLen]
	})
	if err != nil {
		return nil, err
	}
	srcT := tensors.FromFlatDataAndDimensions(src, n, SrcLen)
	var out []int32
	var cross []float32
	for t := range TgtLen {
		res, err := exec.Exec(srcT, tensors.FromFlatDataAndDimensions(in, n, TgtLen))
		if err != nil {
			return nil, fmt.Errorf("transformer.Rewrite: %w", err)
		}
		next := tensors.MustCopyFlatData[int32](res[0]) // [n, TgtLen]
		if t+1 < TgtLen {
			for i := range n {
				in[i*TgtLen+t+1] = next[i*TgtLen+t] // the prediction at t is the input at t+1
			}
		} else { // the last step: the whole output, and the attention that wrote it
			out, cross = next, tensors.MustCopyFlatData[float32](res[1]) // [n, TgtLen], [n, blocks, heads, TgtLen, SrcLen]
		}
	}
	return m.readOut(srcs, src, out, cross), nil
}

// readOut turns the decoded ids (now the outputs, [n, TgtLen]) and the
// cross-attention into Rewritten values, cutting at EOS and at padding.
func (m *DateModel) readOut(srcs []string, src, out []int32, cross []float32) []Rewritten {
	eos, pad := m.Vocab.ID(EOS), m.Vocab.ID(PAD)
	res := make([]Rewritten, len(srcs))
	for i, s := range srcs {
		r := Rewritten{Src: s}
		for _, id := range src[i*SrcLen : (i+1)*SrcLen] {
			if id != pad {
				r.SrcTokens = append(r.SrcTokens, m.Vocab.Token(id))
			}
		}
		for _, id := range out[i*TgtLen : (i+1)*TgtLen] {
			if id == eos {
				break
			}
			r.OutTokens = append(r.OutTokens, m.Vocab.Token(id))
			r.Out += m.Vocab.Token(id)
		}
		blocks, heads := m.Config.DecoderLayers, m.Config.Heads
		r.Cross = make([][][][]float64, blocks)
		for b := range blocks {
			r.Cross[b] = make([][][]float64, heads)
			for h := range heads {
				for q := range len(r.OutTokens) {
					row := make([]float64, len(r.SrcTokens))
					for k := range row {
						row[k] = float64(cross[((((i*blocks+b)*heads+h)*TgtLen)+q)*SrcLen+k])
					}
					r.Cross[b][h] = append(r.Cross[b][h], row)
				}
			}
		}
		res[i] = r
	}
	return res
}

// ExactMatch rewrites every source of pairs and returns the fraction whose
// output equals the target exactly, and the wrong answers.
func (m *DateModel) ExactMatch(backend compute.Backend, pairs []DatePair) (float64, []Rewritten, error) {
	srcs := make([]string, len(pairs))
	for i, p := range pairs {
		srcs[i] = p.Src
	}
	outs, err := m.Rewrite(backend, srcs)
	if err != nil {
		return 0, nil, err
	}
	var wrong []Rewritten
	for i, o := range outs {
		if o.Out != pairs[i].Tgt {
			wrong = append(wrong, o)
		}
	}
	return 1 - float64(len(wrong))/float64(len(pairs)), wrong, nil
}

// ShowCross draws the cross-attention of one decoder block of r, its heads
// side by side: rows are the characters the decoder wrote, columns the
// source characters it looked at.
func (r Rewritten) ShowCross(block int) {
	var b strings.Builder
	fmt.Fprintf(&b, `<div><b>%s  →  %s</b> (decoder block %d)</div><div style="display:flex;flex-wrap:wrap;gap:16px">`,
		html.EscapeString(r.Src), html.EscapeString(r.Out), block)
	for h, w := range r.Cross[block] {
		hm := show.Heatmap{Title: fmt.Sprintf("head %d", h), RowLabels: r.OutTokens, ColLabels: r.SrcTokens,
			Values: w, Digits: -1, CellPixels: 18}
		b.WriteString("<div>" + hm.HTML() + "</div>")
	}
	b.WriteString("</div>")
	show.HTML(b.String())
}
