package compress

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// weight is one of lesson 03's weight tensors, copied out.
type weight struct {
	path   string
	values []float32
	dims   []int
}

// readWeights copies every weight tensor of c (cnn.WeightPaths, in order).
func readWeights(c *cnn.Classifier, caller string) ([]weight, error) {
	var ws []weight
	for _, path := range cnn.WeightPaths {
		values, dims, err := Weights(c, path)
		if err != nil {
			return nil, fmt.Errorf("compress.%s: %w", caller, err)
		}
		ws = append(ws, weight{path, values, dims})
	}
	return ws, nil
}

// Weights copies one weight tensor of a lesson-03 network (one of
// cnn.WeightPaths), with its dimensions. GetVariable also reads a
// checkpoint whose variables were not used yet.
func Weights(c *cnn.Classifier, path string) ([]float32, []int, error) {
	v := c.Store.GetVariable(path)
	if v == nil {
		return nil, nil, fmt.Errorf("the network has no %s; train or load it first", path)
	}
	t, err := v.Value()
	if err != nil {
		return nil, nil, err
	}
	return tensors.MustCopyFlatData[float32](t), t.Shape().Dimensions, nil
}

// evaluator scores a network of lesson 03's shape (images -> logits) on a
// labelled set, compiling it on first use.
type evaluator struct {
	backend compute.Backend
	exec    *model.Exec
}

func (e *evaluator) evaluate(store *model.Store, fn func(*model.Scope, *graph.Node) *graph.Node, d *cnn.Data) (*cnn.Evaluation, error) {
	if e.exec == nil {
		exec, err := model.NewExec(e.backend, store, func(scope *model.Scope, x *graph.Node) *graph.Node {
			return graph.Softmax(fn(scope, x))
		})
		if err != nil {
			return nil, err
		}
		e.exec = exec
	}
	probs, err := cnn.InBatches(e.exec, d.X, d.N, cnn.NumClasses)
	if err != nil {
		return nil, err
	}
	return cnn.Score(probs, d), nil
}
