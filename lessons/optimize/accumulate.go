package optimize

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// Accumulation compares one update on a batch of K·Micro sequences with K
// micro-batches of Micro sequences whose gradients are accumulated, from
// the same starting weights.
type Accumulation struct {
	K, Micro      int
	MaxGradDiff   float64 // max |∇ big batch − mean of the K micro-batch gradients|, over every weight
	MaxGrad       float64 // max |∇ big batch|, for scale
	MaxWeightDiff float64 // max |weights after one big-batch update − after K accumulated micro-batches|
}

// CheckAccumulation draws one batch of k·micro sequences from Shakespeare
// and compares (1) the gradient of its mean loss with the mean of the
// gradients of its k slices, computed by GoMLX one slice at a time, and
// (2) the weights after one AdamW update on the whole batch with those
// after k steps of GoMLX's Trainer.AccumulateGradients(k) on the slices.
// The mean of the slices' mean losses is the whole batch's mean loss
// (the slices have equal sizes), so the two must agree up to float32
// rounding.
func CheckAccumulation(backend compute.Backend, data *pretrain.Shakespeare, mc transformer.Config, k, micro int, seed uint64) (*Accumulation, error) {
	if k < 2 || micro < 1 {
		return nil, fmt.Errorf("optimize.CheckAccumulation: want k ≥ 2 micro-batches of ≥ 1 sequence, got k=%d, micro=%d", k, micro)
	}
	mc.TgtVocab, mc.DType = data.Vocab.Size(), dtypes.Float32
	w, err := mlx.NewWindows("accumulate", [][]int32{data.Train}, k*micro, mc.MaxLen, seed)
	if err != nil {
		return nil, err
	}
	x, y := w.Next()
	xs, ys := split(x, k), split(y, k)
	r := &Accumulation{K: k, Micro: micro}

	// (1) Gradients, all from the same fresh weights.
	store := newStore(seed)
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, tokens, targets *graph.Node) *graph.Node {
		logits := transformer.DecoderOnly(scope, tokens, mc)
		l := graph.ReduceAllMean(loss.SparseCategoricalCrossEntropyLogits([]*graph.Node{targets}, []*graph.Node{logits}))
		grads := scope.BuildTrainableVariablesGradientsGraph(l)
		for i, gr := range grads {
			grads[i] = graph.Reshape(gr, -1)
		}
		return graph.Concatenate(grads, 0)
	})
	if err != nil {
		return nil, err
	}
	grad := func(x, y *tensors.Tensor) ([]float32, error) {
		out, err := exec.Exec(x, y)
		if err != nil {
			return nil, fmt.Errorf("optimize.CheckAccumulation: %w", err)
		}
		return tensors.MustCopyFlatData[float32](out[0]), nil
	}
	big, err := grad(x, y)
	if err != nil {
		return nil, err
	}
	mean := make([]float64, len(big))
	for i := range k {
		g, err := grad(xs[i], ys[i])
		if err != nil {
			return nil, err
		}
		for j, v := range g {
			mean[j] += float64(v) / float64(k)
		}
	}
	for j, v := range big {
		r.MaxGradDiff = math.Max(r.MaxGradDiff, math.Abs(float64(v)-mean[j]))
		r.MaxGrad = math.Max(r.MaxGrad, math.Abs(float64(v)))
	}

	// (2) One update each way, with the lesson's AdamW and GoMLX's accumulation.
	update := func(accumulate bool) (*model.Store, error) {
		s := newStore(seed)
		t := train.NewTrainer(backend, s, func(scope *model.Scope, tokens *graph.Node) *graph.Node {
			return transformer.DecoderOnly(scope, tokens, mc)
		}, loss.SparseCategoricalCrossEntropyLogits, pretrain.AdamW{Beta2: 0.99, Clip: 1}, nil, nil)
		batches := []train.Batch{{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}}}
		if accumulate {
			if err := t.AccumulateGradients(k); err != nil {
				return nil, err
			}
			batches = batches[:0]
			for i := range k {
				batches = append(batches, train.Batch{Inputs: []*tensors.Tensor{xs[i]}, Labels: []*tensors.Tensor{ys[i]}})
			}
		}
		for _, b := range batches {
			if _, err := t.TrainStep(b); err != nil {
				return nil, fmt.Errorf("optimize.CheckAccumulation: %w", err)
			}
		}
		return s, nil
	}
	one, err := update(false)
	if err != nil {
		return nil, err
	}
	acc, err := update(true)
	if err != nil {
		return nil, err
	}
	for v := range one.IterVariables() {
		if !v.Trainable {
			continue
		}
		a, b := v.MustValue(), acc.GetVariable(v.Path())
		if b == nil {
			return nil, fmt.Errorf("optimize.CheckAccumulation: variable %s missing after accumulation", v.Path())
		}
		av, bv := tensors.MustCopyFlatData[float32](a), tensors.MustCopyFlatData[float32](b.MustValue())
		for i := range av {
			r.MaxWeightDiff = math.Max(r.MaxWeightDiff, math.Abs(float64(av[i]-bv[i])))
		}
	}
	return r, nil
}

// split cuts a [batch, ...] tensor of int32 into k equal slices along the
// batch axis.
func split(t *tensors.Tensor, k int) []*tensors.Tensor {
	flat := tensors.MustCopyFlatData[int32](t)
	dims := t.Shape().Dimensions
	per := len(flat) / k
	out := make([]*tensors.Tensor, k)
	for i := range k {
		d := append([]int{dims[0] / k}, dims[1:]...)
		out[i] = tensors.FromFlatDataAndDimensions(append([]int32(nil), flat[i*per:(i+1)*per]...), d...)
	}
	return out
}

func newStore(seed uint64) *model.Store {
	s := model.NewStore()
	s.SetParam(model.ParamInitialSeed, int64(seed))
	return s
}
