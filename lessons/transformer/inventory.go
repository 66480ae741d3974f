package transformer

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Part is one piece of a model and how many parameters it holds.
type Part struct {
	Name   string // e.g. "encoder/block_0"
	Params int
}

// Inventory builds an EncoderDecoder of Config c once (on one dummy
// example) and counts its trainable parameters per part: embeddings, each
// block, final layer norms, output layer, in the order they were created.
func Inventory(backend compute.Backend, c Config) ([]Part, error) {
	store := model.NewStore()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, src, tgt *graph.Node) *graph.Node {
		logits, _ := EncoderDecoder(scope, src, tgt, 0, c)
		return logits
	})
	if err != nil {
		return nil, err
	}
	ones := func(n int) *tensors.Tensor {
		t := tensors.FromShape(shapes.Make(dtypes.Int32, 1, n))
		tensors.MustMutableFlatData(t, func(flat []int32) {
			for i := range flat {
				flat[i] = 1
			}
		})
		return t
	}
	if _, err := exec.Exec(ones(c.MaxLen), ones(c.MaxLen)); err != nil {
		return nil, fmt.Errorf("transformer.Inventory: %w", err)
	}
	var parts []Part
	index := map[string]int{}
	for v := range store.IterVariables() {
		if !v.Trainable || strings.HasPrefix(v.Path(), "/#") {
			continue
		}
		elems := strings.SplitN(strings.TrimPrefix(v.Path(), "/"), "/", 3)
		name := elems[0]
		if len(elems) > 2 {
			name += "/" + elems[1]
		}
		i, ok := index[name]
		if !ok {
			i = len(parts)
			index[name] = i
			parts = append(parts, Part{Name: name})
		}
		parts[i].Params += v.Shape().Size()
	}
	return parts, nil
}
