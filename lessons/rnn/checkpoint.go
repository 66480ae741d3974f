package rnn

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// CheckpointName is where the notebook keeps the model trained on a corpus
// between its cells ("rnn-shakespeare", "rnn-korean").
func CheckpointName(corpus string) string { return "rnn-" + corpus }

// SaveAs saves the model's variables as the checkpoint of its corpus and
// returns the folder. The vocabulary is not saved: LoadCorpus rebuilds the
// same one from the same text.
func (lm *LM) SaveAs(corpus string) (string, error) {
	dir, err := mlx.CheckpointDir(CheckpointName(corpus))
	if err != nil {
		return "", err
	}
	return dir, mlx.SaveCheckpoint(lm.Store, dir)
}

// Load reads the model trained on corpus (its vocabulary rebuilt from the
// text) from its checkpoint; a missing checkpoint is an error that says
// which cell to run.
func Load(backend compute.Backend, corpus *Corpus) (*LM, error) {
	dir, err := mlx.CheckpointDir(CheckpointName(corpus.Name))
	if err != nil {
		return nil, err
	}
	lm := NewLM(backend, corpus.Vocab, 1)
	found, err := mlx.LoadCheckpoint(lm.Store, dir)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("rnn.Load: no %s model in %s: run the training cell above first", corpus.Name, dir)
	}
	// A checkpoint saved before the lesson wrote its own LSTM (GoMLX's
	// layers/lstm names its weights differently) would leave fresh random
	// weights in place silently.
	if lm.Store.GetVariable("/lstm/Wx") == nil {
		return nil, fmt.Errorf("rnn.Load: checkpoint %s comes from an older version of this lesson; delete it and train again", dir)
	}
	// A checkpoint of another vocabulary would fail at the first step with
	// a shape error; say it plainly instead.
	if _, _, err := lm.Step(1, zeroState()); err != nil {
		return nil, fmt.Errorf("rnn.Load: checkpoint %s does not fit this corpus (%v); delete it and train again", dir, err)
	}
	return lm, nil
}
