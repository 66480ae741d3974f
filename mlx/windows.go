package mlx

import (
	"fmt"
	"iter"
	"math/rand/v2"

	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/train"
)

// Windows is the next-token-prediction data set of a character (or token)
// language model: each example is a random window of Context ids taken from
// one of the streams, and its labels are the same window shifted by one, the
// id that follows each position. Batches alternate evenly between the
// streams (English and Korean, say). It never ends; it implements GoMLX's
// train.Dataset.
//
//	stream "hello", Context 3 -> input "ell", labels "llo"
type Windows struct {
	name           string
	streams        [][]int32
	batch, context int
	rng            *rand.Rand
}

// NewWindows checks that every stream is longer than context and returns
// the data set.
func NewWindows(name string, streams [][]int32, batch, context int, seed uint64) (*Windows, error) {
	if len(streams) == 0 || batch <= 0 || context <= 0 {
		return nil, fmt.Errorf("mlx.NewWindows: need streams, a positive batch and context (got %d streams, batch %d, context %d)", len(streams), batch, context)
	}
	for i, s := range streams {
		if len(s) <= context {
			return nil, fmt.Errorf("mlx.NewWindows: stream %d has %d ids, not more than the context %d", i, len(s), context)
		}
	}
	return &Windows{name: name, streams: streams, batch: batch, context: context, rng: rand.New(rand.NewPCG(seed, 1))}, nil
}

// Name implements train.Dataset.
func (w *Windows) Name() string { return w.name }

// Next draws one batch: inputs [batch, context] and labels [batch, context, 1].
func (w *Windows) Next() (inputs, labels *tensors.Tensor) {
	x := make([]int32, w.batch*w.context)
	y := make([]int32, w.batch*w.context)
	for b := range w.batch {
		s := w.streams[b%len(w.streams)]
		start := w.rng.IntN(len(s) - w.context)
		copy(x[b*w.context:], s[start:start+w.context])
		copy(y[b*w.context:], s[start+1:start+1+w.context])
	}
	return tensors.FromFlatDataAndDimensions(x, w.batch, w.context),
		tensors.FromFlatDataAndDimensions(y, w.batch, w.context, 1)
}

// Iter implements train.Dataset: an endless sequence of batches.
func (w *Windows) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for {
			x, y := w.Next()
			if !yield(train.Batch{Inputs: []*tensors.Tensor{x}, Labels: []*tensors.Tensor{y}}, nil) {
				return
			}
		}
	}
}

// Fixed returns a finite data set of n batches drawn once from a generator
// seeded with seed, the same batches every time it is iterated: a
// validation set for trainer.Eval.
func (w *Windows) Fixed(n int, seed uint64) train.Dataset {
	draw := &Windows{streams: w.streams, batch: w.batch, context: w.context, rng: rand.New(rand.NewPCG(seed, 2))}
	xs, ys := make([][]int32, n), make([][]int32, n)
	for i := range n {
		x, y := draw.Next()
		xs[i], ys[i] = tensors.MustCopyFlatData[int32](x), tensors.MustCopyFlatData[int32](y)
	}
	return &fixed{name: w.name + "-fixed", xs: xs, ys: ys, batch: w.batch, context: w.context}
}

type fixed struct {
	name           string
	xs, ys         [][]int32
	batch, context int
}

func (f *fixed) Name() string { return f.name }

func (f *fixed) Iter() iter.Seq2[train.Batch, error] {
	return func(yield func(train.Batch, error) bool) {
		for i := range f.xs {
			b := train.Batch{
				Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(f.xs[i], f.batch, f.context)},
				Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(f.ys[i], f.batch, f.context, 1)}}
			if !yield(b, nil) {
				return
			}
		}
	}
}
