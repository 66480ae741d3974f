package compress

import (
	"fmt"
	"math"
	"path"
	"strings"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/support/exceptions"
)

// LoRAScope is where the adapters live: A and B of the target
// /x/y/weights are /lora/x/y/a and /lora/x/y/b.
const LoRAScope = "/lora"

// Adapters puts LoRA adapters on chosen weight matrices of a model built by
// a GoMLX model function, without touching the model's code: while the
// model is built, each target W [in, out] reads as W + (Alpha/Rank)·A·B,
// and afterwards W's own value is put back, so that training changes only
// A and B and never writes the frozen W.
type Adapters struct {
	Rank    int
	Alpha   float64
	Targets func(path string) bool // which weight matrices get adapters
	// Weight is the variable name of the matrices to adapt: "weights"
	// (GoMLX's Dense layer, the default) or, say, "weight" (a GGUF model's
	// [out, in] matrices, lesson 16: A·B has W's shape either way).
	Weight string
}

// adapts says whether v gets adapters: a weight matrix (not an
// optimizer's moments of it) that Targets chooses.
func (a Adapters) adapts(v *model.Variable) bool {
	name := a.Weight
	if name == "" {
		name = "weights"
	}
	return v.Name() == name && v.Shape().Rank() == 2 && !strings.HasPrefix(v.Path(), LoRAScope+"/") && a.Targets(v.Path())
}

// Scale is Alpha/Rank, the factor of A·B.
func (a Adapters) Scale() float64 { return a.Alpha / float64(a.Rank) }

// Wrap returns fn with adapters: every variable of the store is frozen
// except the adapters; A starts ~ N(0, 1/in), B at zero (the model starts
// as the pretrained one). The target variables must exist before the first
// build (load or build the model once first).
func (a Adapters) Wrap(fn func(scope *model.Scope, x *graph.Node) *graph.Node) func(scope *model.Scope, x *graph.Node) *graph.Node {
	return func(scope *model.Scope, x *graph.Node) *graph.Node {
		restore := a.Apply(scope.Store(), x.Graph())
		out := fn(scope, x)
		restore()
		for v := range scope.Store().IterVariables() {
			v.SetTrainable(strings.HasPrefix(v.Path(), LoRAScope+"/")) // after the build: layers mark their own variables trainable
		}
		return out
	}
}

// Apply is the inside of Wrap, for model functions of any signature: in
// graph g, every target W reads as W + (Alpha/Rank)·A·B (A and B created
// on first use) until restore is called, which puts W's own node back so
// that W is never written.
func (a Adapters) Apply(store *model.Store, g *graph.Graph) (restore func()) {
	type saved struct {
		v    *model.Variable
		orig *graph.Node
	}
	var targets []saved
	for v := range store.IterVariables() {
		if a.adapts(v) {
			targets = append(targets, saved{v, v.NodeValue(g)})
		}
	}
	if len(targets) == 0 {
		exceptions.Panicf("compress.Adapters: no weight matrix to adapt exists yet; run the model once without adapters first (a model loaded from a checkpoint creates its variables on first use)")
	}
	for _, t := range targets {
		in, out := t.v.Shape().Dim(0), t.v.Shape().Dim(1)
		s := store.Scope(path.Join(LoRAScope, t.v.Scope(), t.v.Name()))
		std := 1 / math.Sqrt(float64(in))
		A := s.WithInitializer(func(g *graph.Graph, shape shapes.Shape) *graph.Node {
			return graph.MulScalar(s.RandomNormal(g, shape), std)
		}).VariableWithShape("a", shapes.Make(t.v.DType(), in, a.Rank))
		B := s.WithInitializer(func(g *graph.Graph, shape shapes.Shape) *graph.Node { return graph.Zeros(g, shape) }).
			VariableWithShape("b", shapes.Make(t.v.DType(), a.Rank, out))
		t.v.SetNodeValue(MergeLoRA(t.orig, A.NodeValue(g), B.NodeValue(g), a.Scale()))
	}
	return func() {
		for _, t := range targets {
			t.v.SetNodeValue(t.orig) // not written back: W stays as it was
		}
	}
}

// Merge writes W + (Alpha/Rank)·A·B into every adapted weight of store,
// in place, and removes the adapters: the merged model needs no adapter at
// inference.
func (a Adapters) Merge(store *model.Store) (merged int, err error) {
	for v := range store.IterVariables() {
		if !a.adapts(v) {
			continue
		}
		base := path.Join(LoRAScope, v.Scope(), v.Name())
		A, B := store.GetVariable(base+"/a"), store.GetVariable(base+"/b")
		if A == nil || B == nil {
			return merged, fmt.Errorf("compress.Adapters.Merge: %s has no adapters (train with Wrap first)", v.Path())
		}
		w, err := v.Value()
		if err != nil {
			return merged, err
		}
		at, err := A.Value()
		if err != nil {
			return merged, err
		}
		bt, err := B.Value()
		if err != nil {
			return merged, err
		}
		if err := v.SetValue(mergeHost(w, at, bt, a.Scale())); err != nil {
			return merged, err
		}
		store.DeleteVariable(A.Path())
		store.DeleteVariable(B.Path())
		merged++
	}
	return merged, nil
}
