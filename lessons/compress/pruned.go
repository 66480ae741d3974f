package compress

import (
	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// Pruned is a copy of a lesson-03 network with the smallest weights of
// every weight tensor set to zero, and the masks that keep them there.
type Pruned struct {
	Net      *cnn.Classifier
	Masks    map[string]*tensors.Tensor // weight path -> 1 (kept) / 0 (pruned), the tensor's shape
	Fraction float64
	Kept     int // weights left (biases not counted)
	Total    int
}

// Prune zeroes the smallest fraction of the network's weights (biases are
// left alone) in a copy of c. global ranks all weight tensors together, so
// layers whose weights are larger lose fewer; otherwise each tensor loses
// the same fraction.
func Prune(backend compute.Backend, c *cnn.Classifier, fraction float64, global bool) (*Pruned, error) {
	p := &Pruned{Net: cnn.NewClassifier(backend, 1), Masks: map[string]*tensors.Tensor{}, Fraction: fraction}
	ws, err := readWeights(c, "Prune")
	if err != nil {
		return nil, err
	}
	var all []float32 // every weight, for a global threshold
	for _, wt := range ws {
		if len(wt.dims) > 1 {
			all = append(all, wt.values...)
		}
	}
	var globalMask []float32
	if global {
		if globalMask, err = MagnitudeMask(all, fraction); err != nil {
			return nil, err
		}
	}
	for _, wt := range ws {
		path, w, dims := wt.path, wt.values, wt.dims
		if len(dims) > 1 {
			var mask []float32
			if global {
				mask, globalMask = globalMask[:len(w)], globalMask[len(w):]
			} else if mask, err = MagnitudeMask(w, fraction); err != nil {
				return nil, err
			}
			for i := range w {
				w[i] *= mask[i]
				if mask[i] != 0 {
					p.Kept++
				}
			}
			p.Total += len(w)
			p.Masks[path] = tensors.FromFlatDataAndDimensions(mask, dims...)
		}
		if _, err := p.Net.Store.CreateVariable(path, tensors.FromFlatDataAndDimensions(w, dims...)); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Masked is an optimizer that holds pruned weights at zero: after the Inner
// optimizer's update, each masked variable is multiplied by its mask.
type Masked struct {
	Inner optimizer.Interface
	Masks map[string]*tensors.Tensor
}

// UpdateGraph implements optimizer.Interface.
func (m Masked) UpdateGraph(scope *model.Scope, g *graph.Graph, loss *graph.Node) {
	m.Inner.UpdateGraph(scope, g, loss)
	for _, path := range cnn.WeightPaths { // a fixed order: the graph is the same every time
		if mask, ok := m.Masks[path]; ok {
			v := scope.Store().GetVariable(path)
			v.SetNodeValue(graph.Mul(v.NodeValue(g), graph.Const(g, mask)))
		}
	}
}

// Clear implements optimizer.Interface.
func (m Masked) Clear(scope *model.Scope) error { return m.Inner.Clear(scope) }

// FineTune trains the pruned network for steps batches of data with Adam at
// learning rate lr, the masks held, showing progress (mlx.Fit).
func (p *Pruned) FineTune(backend compute.Backend, data *cnn.Data, steps, batch int, lr float64) (*mlx.History, error) {
	ds, err := data.Dataset(backend, batch, 5)
	if err != nil {
		return nil, err
	}
	trainer := train.NewTrainer(backend, p.Net.Store, cnn.Model, loss.SparseCategoricalCrossEntropyLogits,
		Masked{Inner: optimizer.Adam().LearningRate(lr).Done(), Masks: p.Masks}, nil, nil)
	return mlx.Fit(train.NewLoop(trainer), ds, steps, min(steps, 20))
}

// SparseBytes is what the pruned network costs stored sparsely: each
// weight tensor in CSR form (SparseBytes of its mask, seen as [inputs,
// outputs]), the biases dense.
func (p *Pruned) SparseBytes() (int, error) {
	ws, err := readWeights(p.Net, "Pruned.SparseBytes")
	if err != nil {
		return 0, err
	}
	bytes := 0
	for _, wt := range ws {
		m, ok := p.Masks[wt.path]
		if !ok {
			bytes += 4 * len(wt.values) // a bias
			continue
		}
		out := wt.dims[len(wt.dims)-1]
		bytes += SparseBytes(tensors.MustCopyFlatData[float32](m), len(wt.values)/out)
	}
	return bytes, nil
}

// FineTuneSteps is how long the lesson fine-tunes a pruned or factorized
// network: 300 batches of 64, 100 in a quick run (mlx.Quick).
func FineTuneSteps() int {
	if mlx.Quick() {
		return 100
	}
	return 300
}
