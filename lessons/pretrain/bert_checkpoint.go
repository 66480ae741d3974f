package pretrain

import (
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// BERTCheckpointName is the name, under mlx.CheckpointDir, of the BERT that
// notebook 07 saves and lesson 08 fine-tunes: "pretrain-bert", or
// "pretrain-bert-quick" in a quick run (mlx.Quick), so that a smoke run's
// barely trained model never stands in for the real one.
func BERTCheckpointName() string { return mlx.QuickName("pretrain-bert") }

// SaveAsCheckpoint saves b as lesson 07's checkpoint (BERTCheckpointName) and
// returns the folder.
func (b *BERT) SaveAsCheckpoint() (string, error) { return mlx.SaveAs(BERTCheckpointName(), b.Save) }

// LoadOrTrainBERT returns lesson 07's pretrained BERT from its checkpoint;
// when there is none yet it says so, pretrains one with DefaultBERTConfig
// (as notebook 07 does, about a minute and a half on 2 cores) and saves it.
// Lesson 08 starts here.
func LoadOrTrainBERT(backend compute.Backend) (*BERT, error) {
	return mlx.LoadOrTrain(BERTCheckpointName(), "bert.json", "lesson 07's BERT", LoadBERT, func() (*BERT, error) {
		cfg := DefaultBERTConfig()
		c, err := LoadCorpus(cfg.TokLines, cfg.TrainLines, cfg.ValLines, cfg.VocabSize)
		if err != nil {
			return nil, err
		}
		return TrainBERT(backend, c, cfg)
	}, (*BERT).Save)
}
