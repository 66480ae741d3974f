package transfer_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baeum-go/baeum/lessons/transfer"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func ExampleConfig_StepsPerEpoch() {
	cfg := transfer.Config{Examples: 1000, BatchSize: 32}
	fmt.Println(cfg.StepsPerEpoch(), "steps per epoch;", cfg.Stage(10, 1e-3).Steps, "steps in 10 epochs")
	// Output: 31 steps per epoch; 310 steps in 10 epochs
}

func Example_parameters() {
	fmt.Println("base:", transfer.BaseParams, "head:", transfer.HeadParams)
	// Output: base: 55744 head: 150282
}

// A variable written to .npz and read back under another name, as a
// learner would load weights exported from Keras with np.savez.
func ExampleLoadNPZ() {
	dir, _ := os.MkdirTemp("", "npz")
	defer os.RemoveAll(dir)
	src := model.NewStore()
	v, _ := src.CreateVariable("/kernel", tensors.FromValue([][]float32{{1, 2}, {3, 4}}))
	path := filepath.Join(dir, "weights.npz")
	if err := transfer.SaveNPZ(path, []*model.Variable{v}); err != nil {
		fmt.Println(err)
		return
	}
	dst := model.NewStore()
	n, err := transfer.LoadNPZ(dst, path, map[string]string{"/kernel": "/base/dense/weights"})
	fmt.Println(n, err, dst.GetVariable("/base/dense/weights").MustValue().Value())
	// Output: 4 <nil> [[1 2] [3 4]]
}

// The name filter that decides what is frozen.
func ExampleIsBase() {
	for _, path := range []string{"/base/conv1/conv/weights", "/new_head/dense1/dense/weights", "/basement/weights"} {
		fmt.Println(path, transfer.IsBase(path))
	}
	// Output:
	// /base/conv1/conv/weights true
	// /new_head/dense1/dense/weights false
	// /basement/weights false
}
