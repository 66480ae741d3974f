package pretrain

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// GPTCheckpointName is the name, under mlx.CheckpointDir, of the GPT that
// notebook 07 saves and lesson 14 compresses: "pretrain-gpt", or
// "pretrain-gpt-quick" in a quick run (mlx.Quick).
func GPTCheckpointName() string { return mlx.QuickName("pretrain-gpt") }

// SaveAsCheckpoint saves g as lesson 07's checkpoint (GPTCheckpointName) and
// returns the folder.
func (g *GPT) SaveAsCheckpoint() (string, error) {
	dir, err := mlx.CheckpointDir(GPTCheckpointName())
	if err != nil {
		return "", err
	}
	return dir, g.Save(dir)
}

// LoadOrTrainGPT returns lesson 07's GPT from its checkpoint; when there is
// none yet it says so, trains one with NanoGPTConfig on Shakespeare (as
// notebook 07 does, about four minutes on 2 cores; 300 steps in a quick
// run) and saves it.
func LoadOrTrainGPT(backend compute.Backend) (*GPT, error) {
	dir, err := mlx.CheckpointDir(GPTCheckpointName())
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "gpt.json")); err == nil {
		g, err := LoadGPT(dir)
		if err == nil {
			fmt.Printf("loaded lesson 07's GPT from %s\n", dir)
		}
		return g, err
	}
	fmt.Printf("no checkpoint of lesson 07's GPT in %s: training it now (as notebook 07 does)\n", dir)
	data, err := LoadShakespeare()
	if err != nil {
		return nil, err
	}
	g, err := TrainGPT(backend, data, NanoGPTConfig())
	if err != nil {
		return nil, err
	}
	if dir, err = g.SaveAsCheckpoint(); err != nil {
		return nil, err
	}
	fmt.Println("saved it to", dir)
	return g, nil
}
