package optimize

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// StepCost is what one forward and backward pass of a GPT costs: XLA's
// compiled memory statistics and the measured time.
type StepCost struct {
	Name        string
	Batch       int
	Memory      *mlx.Memory // from XLA's compiler (Temporary holds the activations kept for the backward pass); nil on backends that do not report it
	StepsPerSec float64     // forward + backward passes per second (median of the timed ones)
}

// MeasureStep compiles the loss and the gradients of the DecoderOnly model
// mc (vocabulary vocab, sequences of mc.MaxLen) for a batch of batch
// sequences, reads XLA's memory statistics of the compiled program, and
// times runs passes on fixed tokens. Only XLA backends report memory;
// elsewhere Memory is nil.
func MeasureStep(backend compute.Backend, name string, mc transformer.Config, vocab, batch, runs int) (*StepCost, error) {
	mc.TgtVocab = vocab
	exec, err := model.NewExec(backend, newStore(1), func(scope *model.Scope, tokens *graph.Node) []*graph.Node {
		logits := graph.ConvertDType(transformer.DecoderOnly(scope, tokens, mc), dtypes.Float32)
		l := graph.ReduceAllMean(loss.SparseCategoricalCrossEntropyLogits([]*graph.Node{graph.InsertAxes(tokens, -1)}, []*graph.Node{logits}))
		return append([]*graph.Node{l}, scope.BuildTrainableVariablesGradientsGraph(l)...)
	})
	if err != nil {
		return nil, err
	}
	g, err := exec.Compile(shapes.Make(dtypes.Int32, batch, mc.MaxLen))
	if err != nil {
		return nil, fmt.Errorf("optimize.MeasureStep %s: %w", name, err)
	}
	c := &StepCost{Name: name, Batch: batch}
	if m, err := mlx.CompiledMemory(g); err == nil {
		c.Memory = &m
	}
	tok := make([]int32, batch*mc.MaxLen)
	for i := range tok {
		tok[i] = int32((i * 7) % vocab)
	}
	x := tensors.FromFlatDataAndDimensions(tok, batch, mc.MaxLen)
	sec, err := mlx.MedianSeconds(func() error {
		out, err := exec.Exec(x)
		if err == nil {
			out[0].Value() // wait for the result
		}
		return err
	}, runs)
	if err != nil {
		return nil, fmt.Errorf("optimize.MeasureStep %s: %w", name, err)
	}
	c.StepsPerSec = 1 / sec
	return c, nil
}
