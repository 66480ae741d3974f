package finetune

import (
	"fmt"
	"path/filepath"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// readerFile is what LoadReader needs besides the weights and the
// tokenizer (tokenizer.json, lesson 02's format).
type readerFile struct {
	BERT   transformer.Config // the encoder it was fine-tuned from, at pretraining's length
	Config QAConfig
	Init   Init
	Freeze bool
}

// ReaderCheckpointName is the name, under mlx.CheckpointDir, of the reader
// that notebook 08 saves and lesson 15 reads retrieved passages with:
// "finetune-qa", or "finetune-qa-quick" in a quick run (mlx.Quick).
func ReaderCheckpointName() string { return checkpointName("qa") }

// Save writes the reader into dir: its weights, its and its encoder's
// configurations (reader.json) and the BERT's WordPiece vocabulary
// (tokenizer.json). Unlike a Classifier it does not need lesson 07's
// checkpoint to load, so a later lesson reads with exactly the vocabulary
// the reader was trained with, even after notebook 07 has been run again.
func (r *Reader) Save(dir string) error {
	return mlx.SaveCheckpoint(r.Store, dir,
		mlx.JSONSidecar("reader.json", readerFile{BERT: r.Start.BERT.Config, Config: r.Config, Init: r.Start.Init, Freeze: r.Start.Freeze}),
		mlx.Sidecar{Name: "tokenizer.json", Write: r.Start.BERT.Tok.Save})
}

// SaveAsCheckpoint saves r as lesson 08's reader (ReaderCheckpointName)
// and returns the folder.
func (r *Reader) SaveAsCheckpoint() (string, error) {
	return mlx.SaveAs(ReaderCheckpointName(), r.Save)
}

// LoadReader reads a reader written by Save. Its Start.BERT holds only the
// configuration and the tokenizer (the weights are the reader's own), so
// it answers questions but is no start for another fine-tuning run; its
// History is nil.
func LoadReader(dir string) (*Reader, error) {
	var f readerFile
	store, err := mlx.LoadCheckpointJSON(dir, "reader.json", &f)
	if err != nil {
		return nil, fmt.Errorf("finetune.LoadReader: %w", err)
	}
	t, err := tokenize.Load(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return nil, fmt.Errorf("finetune.LoadReader: %w", err)
	}
	tok, ok := t.(*tokenize.WordPiece)
	if !ok {
		return nil, fmt.Errorf("finetune.LoadReader: %s holds a %T, not a WordPiece tokenizer", dir, t)
	}
	b := &pretrain.BERT{Config: f.BERT, Tok: tok}
	return &Reader{Start: Start{BERT: b, Init: f.Init, Freeze: f.Freeze}, Config: f.Config, Store: store}, nil
}

// LoadOrTrainReader returns lesson 08's reader from its checkpoint; when
// there is none yet it says so and trains one as notebook 08 does (lesson
// 07's BERT, pretrained start, DefaultQAConfig, the training pages of
// LoadFAQQA; about 20 s on 2 cores, plus lesson 07's pretraining if that
// checkpoint is missing too) and saves it. Lesson 15 reads the
// passages it retrieves with it.
func LoadOrTrainReader(backend compute.Backend) (*Reader, error) {
	return mlx.LoadOrTrain(ReaderCheckpointName(), "reader.json", "lesson 08's reader", LoadReader, func() (*Reader, error) {
		b, err := pretrain.LoadOrTrainBERT(backend)
		if err != nil {
			return nil, err
		}
		train, _, err := LoadFAQQA()
		if err != nil {
			return nil, err
		}
		return TrainReader(backend, Start{BERT: b, Init: Pretrained}, train, DefaultQAConfig())
	}, (*Reader).Save)
}
