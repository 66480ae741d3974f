package pretrain

import (
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// GPTCheckpointName is the name, under mlx.CheckpointDir, of the GPT that
// notebook 07 saves and lesson 14 compresses: "pretrain-gpt", or
// "pretrain-gpt-quick" in a quick run (mlx.Quick).
func GPTCheckpointName() string { return mlx.QuickName("pretrain-gpt") }

// SaveAsCheckpoint saves g as lesson 07's checkpoint (GPTCheckpointName) and
// returns the folder.
func (g *GPT) SaveAsCheckpoint() (string, error) { return mlx.SaveAs(GPTCheckpointName(), g.Save) }

// LoadOrTrainGPT returns lesson 07's GPT from its checkpoint; when there is
// none yet it says so, trains one with NanoGPTConfig on Shakespeare (as
// notebook 07 does, about four minutes on 2 cores; 300 steps in a quick
// run) and saves it.
func LoadOrTrainGPT(backend compute.Backend) (*GPT, error) {
	return mlx.LoadOrTrain(GPTCheckpointName(), "gpt.json", "lesson 07's GPT", LoadGPT, func() (*GPT, error) {
		data, err := LoadShakespeare()
		if err != nil {
			return nil, err
		}
		return TrainGPT(backend, data, NanoGPTConfig())
	}, (*GPT).Save)
}
