package cnn

import (
	"fmt"
	"math"
	"math/rand"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
)

// OutputSize gives the side that GoMLX's graph.Convolve (with strides and
// padding) and graph.MaxPool produce.
func TestOutputSizeMatchesGoMLX(t *testing.T) {
	backend := mlx.MustBackend()
	for _, c := range [][4]int{{28, 3, 1, 0}, {13, 3, 1, 0}, {28, 3, 1, 1}, {28, 5, 2, 2}, {10, 3, 3, 0}, {7, 7, 1, 0}, {9, 4, 2, 1}} {
		in, k, stride, pad := c[0], c[1], c[2], c[3]
		out := MustExecOnce(backend, func(x, kernel *Node) *Node {
			return Convolve(x, kernel).Strides(stride).PaddingPerDim([][2]int{{pad, pad}, {pad, pad}}).Done()
		}, fromFlat(make([]float32, in*in), 1, in, in, 1), fromFlat(make([]float32, k*k), k, k, 1, 1))
		if got, want := out.Shape().Dimensions[1], OutputSize(in, k, stride, pad); got != want {
			t.Errorf("in %d kernel %d stride %d padding %d: GoMLX gives %d, OutputSize %d", in, k, stride, pad, got, want)
		}
	}
	for _, in := range []int{26, 11, 4, 3} {
		out := MustExecOnce(backend, func(x *Node) *Node { return MaxPool(x).Window(2).Done() },
			fromFlat(make([]float32, in*in), 1, in, in, 1))
		if got, want := out.Shape().Dimensions[1], OutputSize(in, 2, 2, 0); got != want {
			t.Errorf("MaxPool(2) of side %d: GoMLX gives %d, OutputSize %d", in, got, want)
		}
	}
}

// ConvParams counts the variables that layers.Convolution creates.
func TestConvParamsMatchesLayers(t *testing.T) {
	for _, c := range [][3]int{{3, 1, 32}, {3, 32, 64}, {5, 3, 7}, {1, 4, 2}} {
		k, in, out := c[0], c[1], c[2]
		store := model.NewStore()
		model.MustExecOnce(mlx.MustBackend(), store, func(scope *model.Scope, x *Node) *Node {
			return layers.Convolution(scope, x).Channels(out).KernelSize(k).Done()
		}, fromFlat(make([]float32, 8*8*in), 1, 8, 8, in))
		n := 0
		for v := range store.IterVariables() {
			if v.Trainable { // not the random-number generator's state
				n += v.Shape().Size()
			}
		}
		if want := ConvParams(k, in, out); n != want {
			t.Errorf("kernel %d, %d -> %d channels: layers.Convolution has %d parameters, ConvParams %d", k, in, out, n, want)
		}
	}
}

// Conv2D equals graph.Convolve (stride 1, no padding) on random values,
// for square and rectangular images and kernels.
func TestConv2DMatchesGoMLX(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	random := func(h, w int) [][]float32 {
		m := make([][]float32, h)
		for i := range m {
			m[i] = make([]float32, w)
			for j := range m[i] {
				m[i][j] = rng.Float32()*2 - 1
			}
		}
		return m
	}
	flatten := func(m [][]float32) []float32 {
		var out []float32
		for _, row := range m {
			out = append(out, row...)
		}
		return out
	}
	for _, c := range [][4]int{{5, 5, 3, 3}, {5, 7, 3, 2}, {4, 4, 1, 1}, {3, 3, 3, 3}, {6, 4, 2, 4}} {
		image, kernel := random(c[0], c[1]), random(c[2], c[3])
		got := Conv2D(image, kernel)
		out := MustExecOnce(mlx.MustBackend(), func(x, k *Node) *Node { return Convolve(x, k).Done() },
			fromFlat(flatten(image), 1, c[0], c[1], 1), fromFlat(flatten(kernel), c[2], c[3], 1, 1))
		dims := out.Shape().Dimensions // [1, h, w, 1]
		if len(got) != dims[1] || len(got[0]) != dims[2] {
			t.Fatalf("%v: Conv2D gives %dx%d, GoMLX %v", c, len(got), len(got[0]), dims)
		}
		want := flat(out)
		for i, v := range flatten(got) {
			if math.Abs(float64(v-want[i])) > 1e-5 {
				t.Fatalf("%v: value %d is %v, GoMLX %v", c, i, v, want[i])
			}
		}
	}
}

// Confusion on a hand-counted case, and Score's matrix agrees with its
// accuracy (the diagonal holds the correct answers).
func TestConfusion(t *testing.T) {
	got := fmt.Sprint(Confusion([]int{0, 0, 1, 2, 2, 2}, []int{0, 1, 1, 2, 0, 2}, 3))
	if want := "[[1 1 0] [0 1 0] [1 0 2]]"; got != want {
		t.Errorf("Confusion = %s, want %s", got, want)
	}
	d := &Data{N: 3, Y: []int32{3, 7, 7}}
	scores := make([]float32, 3*NumClasses)
	scores[0*NumClasses+3], scores[1*NumClasses+7], scores[2*NumClasses+1] = 1, 1, 1 // right, right, 7 taken for 1
	ev := Score(scores, d)
	if ev.Confusion[3][3] != 1 || ev.Confusion[7][7] != 1 || ev.Confusion[7][1] != 1 || math.Abs(ev.Accuracy-2.0/3) > 1e-12 {
		t.Errorf("Score: accuracy %v, confusion %v", ev.Accuracy, ev.Confusion)
	}
}
