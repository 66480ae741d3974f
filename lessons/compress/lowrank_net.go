package compress

import (
	"strings"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
)

// headLayers are lesson 03's Dense layers, with their output widths.
var headLayers = []struct {
	name string
	out  int
}{{"dense1", 64}, {"dense2", cnn.NumClasses}}

// LowRank is lesson 03's network with each Dense layer W [in, out] replaced
// by the two factors of its best rank-r approximation, A [in, r] then
// B [r, out] (the bias stays): in·out weights become r·(in + out).
type LowRank struct {
	Store   *model.Store
	Ranks   []int       // per Dense layer
	Spectra [][]float64 // each Dense layer's singular values
	Before  int         // the Dense layers' weights before
	After   int         // and after
	backend compute.Backend
	eval    evaluator
}

// Factorize replaces each Dense layer of c by the rank that keeps at most
// fraction of its weights (SVD.Rank), in a copy of the network.
func Factorize(backend compute.Backend, c *cnn.Classifier, fraction float64) (*LowRank, error) {
	lr := &LowRank{Store: model.NewStore(), backend: backend, eval: evaluator{backend: backend}}
	ws, err := readWeights(c, "Factorize")
	if err != nil {
		return nil, err
	}
	create := func(path string, values []float32, dims ...int) error {
		_, err := lr.Store.CreateVariable(path, tensors.FromFlatDataAndDimensions(values, dims...))
		return err
	}
	for _, w := range ws {
		layer, isHead := strings.CutPrefix(w.path, "/"+cnn.HeadScope+"/")
		name, _, _ := strings.Cut(layer, "/") // "dense1" or "dense2"
		switch {
		case !isHead: // the convolutions stay as they are
			err = create(w.path, w.values, w.dims...)
		case strings.HasSuffix(w.path, "/biases"): // the bias moves to the second factor
			err = create("/"+cnn.HeadScope+"/"+name+"/b/dense/biases", w.values, w.dims...)
		default:
			in, out := w.dims[0], w.dims[1]
			d, derr := Decompose(w.values, in, out)
			if derr != nil {
				return nil, derr
			}
			r := min(d.Rank(fraction), len(d.S))
			a, b := d.Factors(r)
			lr.Ranks, lr.Spectra = append(lr.Ranks, r), append(lr.Spectra, d.S)
			lr.Before, lr.After = lr.Before+in*out, lr.After+r*(in+out)
			prefix := "/" + cnn.HeadScope + "/" + name
			if err = create(prefix+"/a/dense/weights", a, in, r); err == nil {
				err = create(prefix+"/b/dense/weights", b, r, out)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return lr, nil
}

// model is lesson 03's network with the factorized head.
func (lr *LowRank) model(scope *model.Scope, images *graph.Node) *graph.Node {
	scope = cnn.Keras(scope)
	x := cnn.Base(scope.In(cnn.BaseScope), images)
	head := scope.In(cnn.HeadScope)
	for i, l := range headLayers {
		s := head.In("%s", l.name)
		x = layers.Dense(s.In("b"), layers.Dense(s.In("a"), x, false, lr.Ranks[i]), true, l.out)
		if i < len(headLayers)-1 {
			x = activation.Relu(x)
		}
	}
	return x
}

// Evaluate scores the factorized network on d.
func (lr *LowRank) Evaluate(d *cnn.Data) (*cnn.Evaluation, error) {
	return lr.eval.evaluate(lr.Store, lr.model, d)
}

// FineTune trains the factorized network for steps batches with Adam at
// learning rate rate (mlx.Fit shows progress).
func (lr *LowRank) FineTune(data *cnn.Data, steps, batch int, rate float64) (*mlx.History, error) {
	ds, err := data.Dataset(lr.backend, batch, 7)
	if err != nil {
		return nil, err
	}
	trainer := train.NewTrainer(lr.backend, lr.Store, lr.model, loss.SparseCategoricalCrossEntropyLogits,
		optimizer.Adam().LearningRate(rate).Done(), nil, nil)
	return mlx.Fit(train.NewLoop(trainer), ds, steps, min(steps, 20))
}
