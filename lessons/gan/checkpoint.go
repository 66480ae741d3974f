package gan

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// Checkpoint names: where the notebook keeps each trained GAN between cells.
const (
	CheckpointName            = "gan-mnist"
	ConditionalCheckpointName = "gan-mnist-conditional"
)

func (gan *GAN) checkpointName() string {
	if gan.Conditional {
		return ConditionalCheckpointName
	}
	return CheckpointName
}

// generatorVariables is how many trainable variables each generator has:
// the seed's 2 dense layers + batch norm's scale and offset; the
// conditional one's label table, dense layer, 2 convolutions and 2 batch
// norms.
func (gan *GAN) generatorVariables() int {
	if gan.Conditional {
		return 1 + 2 + 2*2 + 2*2
	}
	return 2*2 + 2
}

// SaveAs saves both networks as the lesson's checkpoint (one for the
// seed's pair, one for the conditional GAN).
func (gan *GAN) SaveAs() error {
	dir, err := mlx.CheckpointDir(gan.checkpointName())
	if err != nil {
		return err
	}
	return mlx.SaveCheckpoint(gan.Store, dir)
}

// Load reads the seed's GAN saved by SaveAs; a missing checkpoint is an
// error that says which cell to run.
func Load(backend compute.Backend) (*GAN, error) { return load(New(backend, 1)) }

// LoadConditional reads the conditional GAN saved by SaveAs.
func LoadConditional(backend compute.Backend) (*GAN, error) {
	return load(NewConditional(backend, 1))
}

func load(g *GAN) (*GAN, error) {
	dir, err := mlx.CheckpointDir(g.checkpointName())
	if err != nil {
		return nil, err
	}
	found, err := mlx.LoadCheckpoint(g.Store, dir)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("gan.Load: no trained GAN in %s: run the training cell above first", dir)
	}
	// A checkpoint written by another version of the networks fails at the
	// first use with a shape error; say plainly what to do.
	_, err = g.Generate(FixedNoise(GridSize, 1), GridSize)
	if err != nil || len(g.weights(GeneratorScope)) != g.generatorVariables() {
		return nil, fmt.Errorf("gan.Load: checkpoint %s does not hold this lesson's generator (%v): run the training cell again, which overwrites it", dir, err)
	}
	return g, nil
}
