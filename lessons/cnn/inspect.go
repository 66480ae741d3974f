package cnn

import (
	"fmt"

	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Maps are the feature maps of one image after each convolution (relu
// applied), channel-last like the network's tensors.
type Maps struct {
	Conv1 []float32 // 26*26*32
	Conv2 []float32 // 11*11*64
	Conv3 []float32 // 3*3*64
}

// FeatureMaps runs the convolutional base on one image (28*28 pixels in
// [0, 1]) and returns what each convolution sees.
func (c *Classifier) FeatureMaps(image []float32) (*Maps, error) {
	if len(image) != Size*Size {
		return nil, fmt.Errorf("cnn.FeatureMaps: %d pixels, want %d", len(image), Size*Size)
	}
	out, err := model.ExecOnceN(c.backend, c.Store, func(scope *model.Scope, x *Node) []*Node {
		a := BaseLayers(Keras(scope).In(BaseScope), x)
		return []*Node{a.Conv1, a.Conv2, a.Conv3}
	}, tensorOf(image, 1))
	if err != nil {
		return nil, fmt.Errorf("cnn.FeatureMaps: %w", err)
	}
	return &Maps{Conv1: flat(out[0]), Conv2: flat(out[1]), Conv3: flat(out[2])}, nil
}

// Channel picks channel ch out of a channel-last map of h*w*channels values.
func Channel(m []float32, h, w, channels, ch int) []float32 {
	out := make([]float32, h*w)
	for i := range out {
		out[i] = m[i*channels+ch]
	}
	return out
}

// Filters returns the 32 learned 3x3 kernels of the first convolution, each
// as 9 values row by row. The network must have been trained or run once.
func (c *Classifier) Filters() ([][]float32, error) {
	v := c.Store.GetVariable("/base/conv1/conv/weights")
	if v == nil {
		return nil, fmt.Errorf("cnn.Filters: the network has no first convolution yet; train or run it first")
	}
	t, err := v.Value()
	if err != nil {
		return nil, err
	}
	w := tensors.MustCopyFlatData[float32](t) // [3, 3, 1, 32]
	filters := make([][]float32, 32)
	for f := range filters {
		filters[f] = Channel(w, 3, 3, 32, f)
	}
	return filters, nil
}
