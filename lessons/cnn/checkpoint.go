package cnn

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// CheckpointName is the name, under mlx.CheckpointDir, of the network
// trained on dataset: "cnn-mnist" or "cnn-fashion-mnist". A quick run
// (mlx.Quick) saves and loads "cnn-mnist-quick" instead, so that its
// half-trained network never stands in for the real one in a full run of
// lessons 09 and 10.
func CheckpointName(dataset string) string { return mlx.QuickName("cnn-" + dataset) }

// WeightPaths are the variables a trained network consists of: the kernels
// and biases of its three convolutions and two dense layers. A checkpoint
// must hold all of them.
var WeightPaths = func() []string {
	var paths []string
	for _, layer := range []string{"/base/conv1/conv", "/base/conv2/conv", "/base/conv3/conv", "/head/dense1/dense", "/head/dense2/dense"} {
		paths = append(paths, layer+"/weights", layer+"/biases")
	}
	return paths
}()

// IsWeight says whether a variable path is one of the network's own weights
// (as opposed to the optimizer's moments and step counters).
func IsWeight(path string) bool {
	return strings.HasPrefix(path, "/"+BaseScope+"/") || strings.HasPrefix(path, "/"+HeadScope+"/")
}

// Save writes the network's weights, and only them (not Adam's moments, not
// the step counters), into the checkpoint folder dir. mlx.SaveCheckpoint
// writes a temporary folder and renames it into place, so an interrupted
// save never leaves a checkpoint that loads.
func (c *Classifier) Save(dir string) error {
	weights := model.NewStore()
	for v := range c.Store.IterVariables() {
		if IsWeight(v.Path()) {
			if _, err := v.CloneToStore(weights); err != nil {
				return fmt.Errorf("cnn.Save: %w", err)
			}
		}
	}
	if weights.NumVariables() != len(WeightPaths) {
		return fmt.Errorf("cnn.Save: the network has %d of its %d weight tensors; train it before saving",
			weights.NumVariables(), len(WeightPaths))
	}
	return mlx.SaveCheckpoint(weights, dir)
}

// SaveAs saves the network as lesson 03's checkpoint for dataset (under
// mlx.CheckpointDir(CheckpointName(dataset))) and returns the folder.
func (c *Classifier) SaveAs(dataset string) (string, error) {
	return mlx.SaveAs(CheckpointName(dataset), c.Save)
}

// Load reads a network saved by Save from dir. found is false, with no
// error, when there is no checkpoint there; a checkpoint that lacks some of
// the network's weights is an error (rather than a silently random layer).
func Load(backend compute.Backend, dir string) (c *Classifier, found bool, err error) {
	c = NewClassifier(backend, 1)
	found, err = mlx.LoadCheckpoint(c.Store, dir)
	if err != nil || !found {
		return nil, found, err
	}
	h, ok := c.Store.Loader().(*checkpoint.Handler)
	if !ok {
		return nil, false, fmt.Errorf("cnn.Load: %s did not attach a checkpoint", dir)
	}
	loaded := h.LoadedVariables()
	for _, p := range WeightPaths {
		if _, ok := loaded["var:"+p]; !ok {
			return nil, false, fmt.Errorf("cnn.Load: checkpoint %s has no %s: it is not a lesson-03 network; delete the folder to train it again", dir, p)
		}
	}
	return c, true, nil
}

// LoadOrTrain returns the lesson-03 network trained on dataset from its
// checkpoint, and when there is none yet it says so, trains one with
// DefaultConfig (about a minute on 2 cores) and saves it. Lessons 09 and 10
// start here.
func LoadOrTrain(backend compute.Backend, dataset string) (*Classifier, error) {
	dir, err := mlx.CheckpointDir(CheckpointName(dataset))
	if err != nil {
		return nil, err
	}
	c, found, err := Load(backend, dir)
	if err != nil || found {
		if found {
			fmt.Printf("loaded lesson 03's %s network from %s\n", dataset, dir)
		}
		return c, err
	}
	fmt.Printf("no checkpoint of lesson 03's %s network in %s: training it now (as notebook 03 does)\n", dataset, dir)
	data, err := LoadData(dataset, "train", 0)
	if err != nil {
		return nil, err
	}
	c, _, err = Train(backend, data, DefaultConfig(dataset))
	if err != nil {
		return nil, err
	}
	if dir, err = c.SaveAs(dataset); err != nil {
		return nil, err
	}
	fmt.Println("saved it to", dir)
	return c, nil
}
