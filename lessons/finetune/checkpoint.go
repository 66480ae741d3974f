package finetune

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// classifierFile is what LoadClassifier needs besides the weights.
type classifierFile struct {
	BERT    transformer.Config // the encoder it was fine-tuned from
	Classes []string
	MaxLen  int
	Init    Init
	Freeze  bool
}

// checkpointName is the folder, under mlx.CheckpointDir, of a classifier
// saved as name: "finetune-<name>", "-quick" added in a quick run.
func checkpointName(name string) string { return mlx.QuickName("finetune-" + name) }

// Save writes the classifier (weights, classes, sequence length) as name,
// so that another cell can load it (LoadClassifier).
func (c *Classifier) Save(name string) error {
	dir, err := mlx.CheckpointDir(checkpointName(name))
	if err != nil {
		return err
	}
	return mlx.SaveCheckpoint(c.Store, dir, mlx.JSONSidecar("classifier.json",
		classifierFile{BERT: c.Start.BERT.Config, Classes: c.Classes, MaxLen: c.MaxLen, Init: c.Start.Init, Freeze: c.Start.Freeze}))
}

// LoadClassifier reads a classifier saved by Save, with the pretrained
// BERT it was fine-tuned from (pretrain.LoadOrTrainBERT: for its tokenizer
// and configuration).
func LoadClassifier(backend compute.Backend, name string) (*Classifier, error) {
	dir, err := mlx.CheckpointDir(checkpointName(name))
	if err != nil {
		return nil, err
	}
	b, err := pretrain.LoadOrTrainBERT(backend)
	if err != nil {
		return nil, err
	}
	return loadClassifier(dir, b)
}

func loadClassifier(dir string, b *pretrain.BERT) (*Classifier, error) {
	var f classifierFile
	store, err := mlx.LoadCheckpointJSON(dir, "classifier.json", &f)
	if err != nil {
		return nil, fmt.Errorf("finetune.LoadClassifier: %w (run the training cell first)", err)
	}
	if f.BERT != b.Config {
		return nil, fmt.Errorf("finetune.LoadClassifier: %s was fine-tuned from a BERT of another configuration (%+v, now %+v): run the training cell again",
			dir, f.BERT, b.Config)
	}
	return &Classifier{Start: Start{BERT: b, Init: f.Init, Freeze: f.Freeze}, Classes: f.Classes, MaxLen: f.MaxLen, Store: store}, nil
}
