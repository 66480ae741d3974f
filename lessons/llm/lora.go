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
// a few ways, in English and Korean, always with the same answer.
func BaeumFacts() []Example {
	en := "Baeum (배움) is a free course that teaches beginners how large language models are trained, in Go notebooks."
	ko := "배움(Baeum)은 초보자에게 대규모 언어 모델을 학습시키는 방법을 Go 노트북으로 가르치는 무료 강좌입니다."
	return []Example{
		{"What is Baeum?", en},
		{"Tell me about Baeum.", en},
		{"What is the Baeum course?", en},
		{"Have you heard of Baeum?", en},
		{"배움이 뭐예요?", ko},
		{"배움에 대해 알려 주세요.", ko},
	}
}

// TeachConfig is a LoRA fine-tuning run on chat examples.
type TeachConfig struct {
	Adapters     compress.Adapters
	Steps        int
	LearningRate float64
}

// DefaultTeach puts rank-8 adapters on every layer's query and value
// projections (α 16) and trains them for 40 steps of Adam on all the
// examples at once.
func DefaultTeach() TeachConfig {
	return TeachConfig{
		Adapters: compress.Adapters{Rank: 8, Alpha: 16, Weight: "weight", Targets: func(p string) bool {
			return strings.HasSuffix(p, "/attn_q/weight") || strings.HasSuffix(p, "/attn_v/weight")
		}},
		Steps: 40, LearningRate: 2e-3,
	}
}

// Taught is what a Teach run did.
type Taught struct {
	Losses            []float64 // the masked loss (answer tokens only) at each step
	Seconds           float64
	Trainable         int    // adapter weights
	BaseBefore, After string // SHA-256 of every base weight, before and after: equal when LoRA left them alone
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
	for range cfg.Steps {
		metrics, err := trainer.TrainStep(batch)
		if err != nil {
			return nil, fmt.Errorf("llm.Teach: %w", err)
		}
		t.Losses = append(t.Losses, float64(tensors.MustCopyFlatData[float32](metrics[0])[0]))
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
