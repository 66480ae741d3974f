package gan

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

// CheckpointName is where the notebook keeps the trained GAN between cells.
const CheckpointName = "gan-mnist"

// SaveAs saves both networks as the lesson's checkpoint.
func (gan *GAN) SaveAs() error {
	dir, err := mlx.CheckpointDir(CheckpointName)
	if err != nil {
		return err
	}
	return mlx.SaveCheckpoint(gan.Store, dir)
}

// Load reads the GAN saved by SaveAs; a missing checkpoint is an error that
// says which cell to run.
func Load(backend compute.Backend) (*GAN, error) {
	dir, err := mlx.CheckpointDir(CheckpointName)
	if err != nil {
		return nil, err
	}
	g := New(backend, 1)
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
	if err != nil || len(g.weights(GeneratorScope)) != 6 { // 2 dense layers + batch norm's scale and offset
		return nil, fmt.Errorf("gan.Load: checkpoint %s does not hold this lesson's generator (%v): run the training cell again, which overwrites it", dir, err)
	}
	return g, nil
}
