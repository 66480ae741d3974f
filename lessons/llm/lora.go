package llm

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/compress"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Example is one chat turn to learn: a question and the answer wanted.
type Example struct{ Question, Answer string }

// BaeumFacts is what lesson 16 teaches the model: what Baeum is, asked in
// four ways, always with the same answer. English only: this tokenizer
// spends about 3 tokens on a Hangul syllable, and two Korean examples
// made the batch 3 times longer (6 × 192 tokens instead of 4 × 64).
func BaeumFacts() []Example {
	answer := "Baeum (배움) is a free course that teaches beginners how large language models are trained, in Go notebooks."
	return []Example{
		{"What is Baeum?", answer},
		{"Tell me about Baeum.", answer},
		{"What is the Baeum course?", answer},
		{"Have you heard of Baeum?", answer},
	}
}

// TeachConfig is a LoRA fine-tuning run on chat examples.
type TeachConfig struct {
	Adapters     compress.Adapters
	Steps        int
	LearningRate float64
}

// DefaultTeach puts rank-8 adapters on every layer's query and value
// projections (α 16) and trains them for 15 steps of Adam (learning rate
// 0.003) on all the examples at once. Measured: the loss on the answer
// falls from 2.7 to about 0.01, and greedy decoding then gives the answer
// word for word; 40 steps at 0.002 reached 0.001, no better an answer.
func DefaultTeach() TeachConfig {
	return TeachConfig{
		Adapters: compress.Adapters{Rank: 8, Alpha: 16, Weight: "weight", Targets: func(p string) bool {
			return strings.HasSuffix(p, "/attn_q/weight") || strings.HasSuffix(p, "/attn_v/weight")
		}},
		Steps: 15, LearningRate: 3e-3,
	}
}

// Taught is what a Teach run did.
type Taught struct {
	Losses            []float64 // the masked loss (answer tokens only) at each step
	CompileSeconds    float64   // building and compiling the training step (first call)
	Seconds           float64   // the steps after that
	Trainable         int       // adapter weights
	BaseBefore, After string    // SHA-256 of every base weight, before and after: equal when LoRA left them alone
}

// ChatTokens is an example as the model sees it in training: the chat
// prompt (with the generation prompt "<|im_start|>assistant\n"), then the
// answer and the end-of-turn token. answerFrom is the index of the answer's
// first token: the loss reads only the tokens from there on.
func (m *Model) ChatTokens(e Example) (ids []int, answerFrom int) {
	prompt := m.Tok.Encode(m.Tok.ChatPrompt([]Message{{Role: "user", Content: e.Question}}, true))
	answer := m.Tok.Encode(e.Answer + "<|im_end|>")
	return append(prompt, answer...), len(prompt)
}

// SFTBatch turns examples into a training batch: inputs [n, L] (each
// sequence but its last token), targets [n, L, 1] (each sequence but its
// first: the next token at every position) and mask [n, L], true where the
// target is a token of the answer. Padding (at the end, to L a multiple of
// 32) is masked out too. This is the supervised fine-tuning loss of lesson
// 08's chat data: the model is not trained to write the question.
func (m *Model) SFTBatch(examples []Example) (inputs, targets, mask *tensors.Tensor) {
	var seqs [][]int
	var starts []int
	longest := 0
	for _, e := range examples {
		ids, from := m.ChatTokens(e)
		seqs, starts = append(seqs, ids), append(starts, from)
		longest = max(longest, len(ids)-1)
	}
	L := (longest + prefillBucket - 1) / prefillBucket * prefillBucket
	n := len(examples)
	in, out, ok := make([]int32, n*L), make([]int32, n*L), make([]bool, n*L)
	for i, ids := range seqs {
		for t := 0; t+1 < len(ids); t++ {
			in[i*L+t], out[i*L+t] = int32(ids[t]), int32(ids[t+1])
			ok[i*L+t] = t+1 >= starts[i]
		}
	}
	return tensors.FromFlatDataAndDimensions(in, n, L), tensors.FromFlatDataAndDimensions(out, n, L, 1), tensors.FromFlatDataAndDimensions(ok, n, L)
}

// BaseHash is the SHA-256 of every weight except the adapters, in store
// order: two equal hashes mean not one bit of the base model changed.
func (m *Model) BaseHash() (string, error) {
	h := sha256.New()
	for v := range m.Store.IterVariables() {
		if strings.HasPrefix(v.Path(), compress.LoRAScope+"/") || !strings.HasSuffix(v.Name(), "weight") {
			continue
		}
		t, err := v.Value()
		if err != nil {
			return "", err
		}
		fmt.Fprint(h, v.Path())
		if err := t.ConstBytes(func(b []byte) { h.Write(b) }); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)), nil
}

// Teach fine-tunes LoRA adapters on the examples with GoMLX's trainer and
// Adam; the base weights are not trainable (Load), so the optimizer
// updates only A and B. Afterwards the model generates with the adapters.
func (m *Model) Teach(examples []Example, cfg TeachConfig) (*Taught, error) {
	before, err := m.BaseHash()
	if err != nil {
		return nil, err
	}
	m.adapters = &cfg.Adapters
	clear(m.execs) // compiled without adapters
	clear(m.compiled)
	inputs, targets, mask := m.SFTBatch(examples)
	modelFn := func(scope *model.Scope, _ any, in []*Node) []*Node {
		logits, _, _ := m.Forward(scope, in[0], ScalarZero(in[0].Graph(), in[0].DType()), nil, nil)
		return []*Node{logits}
	}
	trainer := train.NewTrainer(m.backend, m.Store, modelFn, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(cfg.LearningRate).Done(), nil, nil)
	t := &Taught{BaseBefore: before}
	start := time.Now()
	batch := train.Batch{Inputs: []*tensors.Tensor{inputs}, Labels: []*tensors.Tensor{targets, mask}}
	for step := range cfg.Steps {
		metrics, err := trainer.TrainStep(batch)
		if err != nil {
			return nil, fmt.Errorf("llm.Teach: %w", err)
		}
		t.Losses = append(t.Losses, float64(tensors.MustCopyFlatData[float32](metrics[0])[0]))
		if step == 0 {
			t.CompileSeconds = time.Since(start).Seconds()
			start = time.Now()
		}
	}
	t.Seconds = time.Since(start).Seconds()
	for v := range m.Store.IterVariables() {
		if strings.HasPrefix(v.Path(), compress.LoRAScope+"/") && (v.Name() == "a" || v.Name() == "b") {
			t.Trainable += v.Shape().Size()
		}
	}
	if t.After, err = m.BaseHash(); err != nil {
		return nil, err
	}
	return t, nil
}
