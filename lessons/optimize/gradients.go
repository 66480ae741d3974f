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
	"github.com/gomlx/gomlx/ml/train/loss"
)

// fp16's limits: numbers below 2⁻²⁴ round to zero, numbers below 2⁻¹⁴ are
// subnormal (fewer than 10 mantissa bits left).
const (
	FP16Smallest  = 5.960464477539063e-08 // 2⁻²⁴, the smallest subnormal
	FP16MinNormal = 6.103515625e-05       // 2⁻¹⁴
	FP16Max       = 65504
)

// Magnitudes are the absolute values of one batch's fp32 gradients: with
// respect to every weight, and with respect to the logits (the first
// activation gradient of the backward pass; the others are of the same
// order, one per token).
type Magnitudes struct {
	Weights, Logits []float64
}

// GradientMagnitudes computes, in fp32 and with run's weights, the loss of
// one training batch (of run's batch size) and its gradients.
func GradientMagnitudes(backend compute.Backend, run *Run, data *pretrain.Shakespeare) (*Magnitudes, error) {
	mc := run.Config.Model
	mc.TgtVocab, mc.DType = data.Vocab.Size(), dtypes.Float32
	if p := run.Config.Precision; p != FP32 && p != "" {
		return nil, fmt.Errorf("optimize.GradientMagnitudes: run %q is %s; pass an fp32 run", run.Name, p)
	}
	w, err := mlx.NewWindows("grads", [][]int32{data.Train}, run.Config.Batch, mc.MaxLen, run.Config.Seed+7)
	if err != nil {
		return nil, err
	}
	inputs, labels := w.Next()
	exec, err := model.NewExec(backend, run.Store, func(scope *model.Scope, tokens, targets *graph.Node) []*graph.Node {
		logits := transformer.DecoderOnly(scope, tokens, mc)
		l := loss.SparseCategoricalCrossEntropyLogits([]*graph.Node{targets}, []*graph.Node{logits})
		grads := graph.Gradient(graph.ReduceAllMean(l), logits)
		weights := scope.BuildTrainableVariablesGradientsGraph(graph.ReduceAllMean(l))
		for i, gr := range weights {
			weights[i] = graph.Reshape(gr, -1)
		}
		return []*graph.Node{graph.Reshape(grads[0], -1), graph.Concatenate(weights, 0)}
	})
	if err != nil {
		return nil, err
	}
	out, err := exec.Exec(inputs, labels)
	if err != nil {
		return nil, fmt.Errorf("optimize.GradientMagnitudes: %w", err)
	}
	abs := func(t *tensors.Tensor) []float64 {
		flat := tensors.MustCopyFlatData[float32](t)
		r := make([]float64, len(flat))
		for i, x := range flat {
			r[i] = math.Abs(float64(x))
		}
		return r
	}
	return &Magnitudes{Logits: abs(out[0]), Weights: abs(out[1])}, nil
}

// Underflow is the fraction of xs that fp16 flushes to zero (below 2⁻²⁴)
// and the fraction it keeps only as subnormals (below 2⁻¹⁴), if each is
// first multiplied by scale.
func Underflow(xs []float64, scale float64) (zero, subnormal float64) {
	for _, x := range xs {
		switch x *= scale; {
		case x < FP16Smallest/2: // rounds to 0
			zero++
		case x < FP16MinNormal:
			subnormal++
		}
	}
	n := float64(max(len(xs), 1))
	return zero / n, subnormal / n
}
