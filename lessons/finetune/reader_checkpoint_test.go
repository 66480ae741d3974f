package finetune

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// TestReaderCheckpoint saves a briefly trained reader, loads it back and
// asks both the same questions: the answers (spans and scores) must be
// identical.
func TestReaderCheckpoint(t *testing.T) {
	b := tiny(t)
	backend := mlx.MustBackend()
	t.Setenv("BAEUM_CHECKPOINTS", t.TempDir())
	train, test, err := LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	cfg := QAConfig{SeqLen: 48, MaxQuestion: 16, Stride: 16, MaxAnswer: 12, Batch: 16, Steps: 3, Schedule: schedule(5e-3, 3), Seed: 1}
	r, err := TrainReader(backend, Start{BERT: b, Init: Pretrained}, train[:40], cfg)
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Answer(backend, test[:6])
	if err != nil {
		t.Fatal(err)
	}
	dir, err := r.SaveAsCheckpoint()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(dir) != ReaderCheckpointName() {
		t.Errorf("saved into %s, want a folder named %s", dir, ReaderCheckpointName())
	}
	back, err := LoadReader(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.Config != cfg || back.Start.Init != Pretrained || back.Start.BERT.Config != b.Config || back.Start.BERT.Store != nil {
		t.Errorf("loaded reader: config %+v, start %+v", back.Config, back.Start)
	}
	if got := back.Start.BERT.Tok.Encode(test[0].Context); !reflect.DeepEqual(got, b.Tok.Encode(test[0].Context)) {
		t.Errorf("the loaded tokenizer encodes a paragraph as %v, the BERT's as %v", got, b.Tok.Encode(test[0].Context))
	}
	for name, reader := range map[string]*Reader{"loaded": back, "the same reader again": r} {
		got, err := reader.Answer(backend, test[:6])
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: answers %+v, before saving %+v", name, got, want)
		}
	}
	// LoadOrTrainReader finds it (and so does not train: that would take
	// lesson 07's BERT, which this temporary checkpoint folder lacks).
	if _, err := os.Stat(filepath.Join(dir, "reader.json")); err != nil {
		t.Fatal(err)
	}
	loaded, err := LoadOrTrainReader(backend)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := loaded.Answer(backend, test[:6]); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("LoadOrTrainReader: answers %+v (%v), want %+v", got, err, want)
	}
	if _, err := LoadReader(t.TempDir()); err == nil || !strings.Contains(err.Error(), "run the training cell") {
		t.Errorf("loading from an empty folder: err = %v", err)
	}
}

func TestReaderCheckpointNameKeepsQuickRunsApart(t *testing.T) {
	t.Setenv(mlx.QuickEnv, "")
	if got := ReaderCheckpointName(); got != "finetune-qa" {
		t.Errorf("full run: %q", got)
	}
	t.Setenv(mlx.QuickEnv, "1")
	if got := ReaderCheckpointName(); got != "finetune-qa-quick" {
		t.Errorf("quick run: %q", got)
	}
}
