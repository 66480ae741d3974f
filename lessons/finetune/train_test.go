package finetune

import (
	"strings"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/ml/model"
)

var (
	tinyOnce sync.Once
	tinyBERT *pretrain.BERT
	tinyErr  error
)

// tiny pretrains a tiny BERT for 30 steps, saves it and loads it back (as
// lesson 08 loads lesson 07's).
func tiny(t *testing.T) *pretrain.BERT {
	needData(t)
	tinyOnce.Do(func() {
		c, err := pretrain.LoadCorpus(1000, 2000, 200, 2500)
		if err != nil {
			tinyErr = err
			return
		}
		cfg := pretrain.DefaultBERTConfig()
		cfg.Model = transformer.Config{Dim: 16, Heads: 2, EncoderLayers: 1, MLPRatio: 2, MaxLen: 16, InitStd: 0.02}
		cfg.Batch, cfg.Steps, cfg.MaxPredictions, cfg.EvalBatches = 8, 30, 3, 1
		cfg.Schedule = transformer.Schedule{LearningRate: 5e-3, MinLR: 5e-4, Warmup: 2, Steps: 30}
		b, err := pretrain.TrainBERT(mlx.MustBackend(), c, cfg)
		if err != nil {
			tinyErr = err
			return
		}
		dir := t.TempDir() + "/bert"
		if tinyErr = b.Save(dir); tinyErr == nil {
			tinyBERT, tinyErr = pretrain.LoadBERT(dir)
		}
	})
	if tinyErr != nil {
		t.Fatal(tinyErr)
	}
	return tinyBERT
}

func TestClassifierLearns(t *testing.T) {
	b := tiny(t)
	backend := mlx.MustBackend()
	reviews, err := LoadNSMC("train", 512)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Classes: SentimentClasses, MaxLen: 24, Batch: 32, Steps: 40, Schedule: schedule(5e-3, 40), Seed: 1}
	for _, start := range []Start{{BERT: b, Init: Pretrained}, {BERT: b, Init: Random}, {BERT: b, Init: Pretrained, Freeze: true}} {
		c, err := TrainClassifier(backend, start, EncodeExamples(b, reviews), cfg)
		if err != nil {
			t.Fatal(start.Name(), err)
		}
		if first, last := meanLoss(c.History.Loss[:8]), meanLoss(c.History.Loss[len(c.History.Loss)-8:]); !(last < first) {
			t.Errorf("%s: loss did not fall: first 8 steps %.3f, last 8 %.3f", start.Name(), first, last)
		}
		if start.Freeze {
			for v := range c.Store.IterVariables() {
				if strings.HasPrefix(v.Path(), "/encoder/") && v.Trainable {
					t.Errorf("frozen run: %s is trainable", v.Path())
				}
			}
		}
		ev, err := c.Evaluate(backend, EncodeExamples(b, reviews[:300]))
		if err != nil {
			t.Fatal(err)
		}
		if ev.Accuracy < 0 || ev.Accuracy > 1 || len(ev.Probs) != 300 || ev.Confusion[0][0]+ev.Confusion[0][1]+ev.Confusion[1][0]+ev.Confusion[1][1] != 300 {
			t.Errorf("%s: evaluation %v, %d probabilities, confusion %v", start.Name(), ev.Accuracy, len(ev.Probs), ev.Confusion)
		}
	}
}

func TestClassifierCheckpoint(t *testing.T) {
	b := tiny(t)
	backend := mlx.MustBackend()
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	pairs, err := LoadKorNLI("xnli.dev.ko.tsv")
	if err != nil {
		t.Fatal(err)
	}
	examples := EncodeExamples(b, pairs[:64])
	c, err := TrainClassifier(backend, Start{BERT: b, Init: Pretrained}, examples, Config{Classes: NLIClasses, MaxLen: 40, Batch: 16, Steps: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	want, err := c.Probabilities(backend, examples[:5])
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save("test"); err != nil {
		t.Fatal(err)
	}
	dir, _ := mlx.CheckpointDir(checkpointName("test"))
	back, err := loadClassifier(dir, b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Probabilities(backend, examples[:5])
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		for k := range want[i] {
			if d := want[i][k] - got[i][k]; d > 1e-6 || d < -1e-6 {
				t.Fatalf("probabilities after loading %v, before %v", got[i], want[i])
			}
		}
	}
	other := *b
	other.Config.Dim = 32
	if _, err := loadClassifier(dir, &other); err == nil || !strings.Contains(err.Error(), "another configuration") {
		t.Errorf("loading with another BERT: err = %v", err)
	}
	if _, err := loadClassifier(t.TempDir(), b); err == nil || !strings.Contains(err.Error(), "run the training cell") {
		t.Errorf("loading from an empty folder: err = %v", err)
	}
}

func TestReaderLearns(t *testing.T) {
	b := tiny(t)
	backend := mlx.MustBackend()
	train, test, err := LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	cfg := QAConfig{SeqLen: 48, MaxQuestion: 16, Stride: 16, MaxAnswer: 12, Batch: 16, Steps: 40, Schedule: schedule(5e-3, 40), Seed: 1}
	r, err := TrainReader(backend, Start{BERT: b, Init: Pretrained}, train[:60], cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h := r.History; !(h.LastLoss() < h.FirstLoss()) {
		t.Errorf("loss did not fall: %v -> %v", h.FirstLoss(), h.LastLoss())
	}
	answers, err := r.Answer(backend, test[:10])
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range answers {
		if a.Start < 0 || a.End <= a.Start || test[i].Context[a.Start:a.End] != a.Text {
			t.Errorf("answer %+v is not a span of its paragraph", a)
		}
	}
}

func TestStartErrors(t *testing.T) {
	b := tiny(t)
	if _, err := (Start{BERT: &pretrain.BERT{Config: b.Config, Tok: b.Tok}, Init: Random}).store(1, 16); err != nil {
		t.Errorf("a random start needs no checkpoint: %v", err)
	}
	inMemory := &pretrain.BERT{Config: b.Config, Tok: b.Tok, Store: model.NewStore()}
	if _, err := (Start{BERT: inMemory, Init: Pretrained}).store(1, 16); err == nil || !strings.Contains(err.Error(), "checkpoint") {
		t.Errorf("a pretrained start from a BERT not loaded from a checkpoint: err = %v", err)
	}
}

func meanLoss(l []float64) float64 {
	sum := 0.0
	for _, v := range l {
		sum += v
	}
	return sum / float64(len(l))
}

func TestReaderConfigErrors(t *testing.T) {
	b := tiny(t)
	train, _, err := LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []QAConfig{
		{SeqLen: 32, MaxQuestion: 30, Stride: 4, MaxAnswer: 8, Batch: 4, Steps: 1},  // no room for the paragraph
		{SeqLen: 48, MaxQuestion: 16, Stride: 0, MaxAnswer: 8, Batch: 4, Steps: 1},  // windows would never move
		{SeqLen: 48, MaxQuestion: 16, Stride: 40, MaxAnswer: 8, Batch: 4, Steps: 1}, // windows would skip tokens
	} {
		if _, err := TrainReader(mlx.MustBackend(), Start{BERT: b, Init: Random}, train[:8], cfg); err == nil || !strings.Contains(err.Error(), "Stride") {
			t.Errorf("%+v: err = %v", cfg, err)
		}
	}
}
