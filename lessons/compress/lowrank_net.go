package compress

import (
	"fmt"
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
	for _, path := range cnn.WeightPaths { // GetVariable also reads a checkpoint not used yet
		if strings.HasPrefix(path, "/"+cnn.HeadScope+"/") && strings.HasSuffix(path, "/weights") {
			continue // factorized below
		}
		v := c.Store.GetVariable(path)
		if v == nil {
			return nil, fmt.Errorf("compress.Factorize: the network has no %s; train or load it first", path)
		}
		if _, err := v.CloneToStore(lr.Store); err != nil {
			return nil, err
		}
	}
	for _, l := range headLayers {
		prefix := "/" + cnn.HeadScope + "/" + l.name
		v := c.Store.GetVariable(prefix + "/dense/weights")
		if v == nil {
			return nil, fmt.Errorf("compress.Factorize: the network has no %s; train or load it first", prefix)
		}
		t, err := v.Value()
		if err != nil {
			return nil, err
		}
		in, out := t.Shape().Dim(0), t.Shape().Dim(1)
		d, err := Decompose(tensors.MustCopyFlatData[float32](t), in, out)
		if err != nil {
			return nil, err
		}
		r := min(d.Rank(fraction), len(d.S))
		a, b := d.Factors(r)
		lr.Ranks, lr.Spectra = append(lr.Ranks, r), append(lr.Spectra, d.S)
		lr.Before, lr.After = lr.Before+in*out, lr.After+r*(in+out)
		if _, err := lr.Store.CreateVariable(prefix+"/a/dense/weights", tensors.FromFlatDataAndDimensions(a, in, r)); err != nil {
			return nil, err
		}
		if _, err := lr.Store.CreateVariable(prefix+"/b/dense/weights", tensors.FromFlatDataAndDimensions(b, r, out)); err != nil {
			return nil, err
		}
		bias := lr.Store.GetVariable(prefix + "/dense/biases") // cloned above; it moves under b/
		bt, err := bias.Value()
		if err != nil {
			return nil, err
		}
		clone, err := bt.LocalClone()
		if err != nil {
			return nil, err
		}
		if _, err := lr.Store.CreateVariable(prefix+"/b/dense/biases", clone); err != nil {
			return nil, err
		}
		lr.Store.DeleteVariable(prefix + "/dense/biases")
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
