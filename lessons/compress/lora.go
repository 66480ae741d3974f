package compress

import (
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// LoRA (Hu et al. 2021) fine-tunes a frozen weight matrix W [in, out] by
// learning a low-rank change, W + scale·A·B with A [in, rank] and
// B [rank, out]: rank·(in + out) trainable numbers instead of in·out. B
// starts at zero, so training starts from the pretrained model.

// LoRAForward is the adapted layer without merging: x·W + scale·(x·A)·B,
// for x [..., in].
func LoRAForward(x, w, a, b *graph.Node, scale float64) *graph.Node {
	return graph.Add(graph.MatMul(x, w), graph.MulScalar(graph.MatMul(graph.MatMul(x, a), b), scale))
}

// MergeLoRA folds the adapters into the weights, W + scale·A·B: the same
// outputs, and at inference no extra cost at all.
func MergeLoRA(w, a, b *graph.Node, scale float64) *graph.Node {
	return graph.Add(w, graph.MulScalar(graph.MatMul(a, b), scale))
}

// mergeHost is MergeLoRA on host tensors: W [in, out] + scale·A [in, r]·B [r, out].
func mergeHost(w, a, b *tensors.Tensor, scale float64) *tensors.Tensor {
	in, out, r := w.Shape().Dim(0), w.Shape().Dim(1), a.Shape().Dim(1)
	wv, av, bv := tensors.MustCopyFlatData[float32](w), tensors.MustCopyFlatData[float32](a), tensors.MustCopyFlatData[float32](b)
	for i := range in {
		for j := range out {
			s := 0.0
			for k := range r {
				s += float64(av[i*r+k]) * float64(bv[k*out+j])
			}
			wv[i*out+j] += float32(scale * s)
		}
	}
	return tensors.FromFlatDataAndDimensions(wv, in, out)
}
