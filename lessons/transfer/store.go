package transfer

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
)

func nan() float64 { return math.NaN() }

// CheckpointName is where the notebook keeps the frozen-base network
// between its cells, for the fine-tuning cell to continue from.
const CheckpointName = "transfer-frozen"

// Save writes the whole network (base, new head, the optimizer's state and
// step count) into the checkpoint folder dir.
func (n *Net) Save(dir string) error { return mlx.SaveCheckpoint(n.Store, dir) }

// LoadNet reads a network saved by Save; found is false when there is none.
func LoadNet(backend compute.Backend, dir string) (n *Net, found bool, err error) {
	n = FromScratch(backend, 1)
	found, err = mlx.LoadCheckpoint(n.Store, dir)
	if err != nil || !found {
		return nil, found, err
	}
	// Build the network once, so the checkpoint's values are in the store
	// (GoMLX reads them as the model asks for its variables).
	if _, err := n.Accuracy(&cnn.Data{N: 1, X: make([]float32, cnn.Size*cnn.Size), Y: []int32{0}}); err != nil {
		return nil, false, err
	}
	if len(n.BaseVariables()) != 6 {
		return nil, false, errNotTransfer(dir)
	}
	return n, true, nil
}

func errNotTransfer(dir string) error {
	return fmt.Errorf("transfer: checkpoint %s is not a lesson-10 network; delete it and run the frozen-base cell again", dir)
}
