package cnn

import (
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Scope names of the two halves of the network. Lesson 10 rebuilds the base
// under BaseScope to load its trained weights and puts a new head elsewhere.
const (
	BaseScope = "base" // the three convolutions: the "feature extractor"
	HeadScope = "head" // Dense(64, relu) - Dense(10): the classifier on top
)

// Activations are the outputs of every stage of the base, for one batch.
type Activations struct {
	Conv1 *Node // [batch, 26, 26, 32] after relu
	Pool1 *Node // [batch, 13, 13, 32]
	Conv2 *Node // [batch, 11, 11, 64]
	Pool2 *Node // [batch, 5, 5, 64]
	Conv3 *Node // [batch, 3, 3, 64]
	Flat  *Node // [batch, 576]: Flatten, the features the head reads
}

// conv is Keras' Conv2D(channels, 3x3, activation="relu") with the default
// "valid" padding: every 3x3 window that fits, so each side loses 2 pixels.
func conv(scope *model.Scope, x *Node, channels int) *Node {
	return activation.Relu(layers.Convolution(scope, x).Channels(channels).KernelSize(3).Done())
}

// BaseLayers runs the convolutional base on images [batch, 28, 28, 1] and
// returns every stage, so the notebook can look at the feature maps.
func BaseLayers(scope *model.Scope, images *Node) Activations {
	batch := images.Shape().Dimensions[0]
	images.AssertDims(batch, Size, Size, 1)
	var a Activations
	a.Conv1 = conv(scope.In("conv1"), images, 32)
	a.Conv1.AssertDims(batch, 26, 26, 32)
	a.Pool1 = MaxPool2(a.Conv1) // keep the strongest of each 2x2 block
	a.Pool1.AssertDims(batch, 13, 13, 32)
	a.Conv2 = conv(scope.In("conv2"), a.Pool1, 64)
	a.Conv2.AssertDims(batch, 11, 11, 64)
	a.Pool2 = MaxPool2(a.Conv2) // 11 -> 5: the last row and column are dropped, as in Keras
	a.Pool2.AssertDims(batch, 5, 5, 64)
	a.Conv3 = conv(scope.In("conv3"), a.Pool2, 64)
	a.Conv3.AssertDims(batch, 3, 3, 64)
	a.Flat = Reshape(a.Conv3, batch, -1)
	a.Flat.AssertDims(batch, 3*3*64)
	return a
}

// Base is the convolutional base: images [batch, 28, 28, 1] to features
// [batch, 576].
func Base(scope *model.Scope, images *Node) *Node {
	return BaseLayers(scope, images).Flat
}

// Head is the seed's classifier on top: Dense(64, relu) - Dense(10).
// features [batch, 576] -> logits [batch, 10].
func Head(scope *model.Scope, features *Node) *Node {
	x := activation.Relu(layers.Dense(scope.In("dense1"), features, true, 64))
	return layers.Dense(scope.In("dense2"), x, true, NumClasses)
}

// Keras returns scope with Keras' default initializer (Glorot uniform
// weights, zero biases), the seed's; GoMLX's own default (He normal) starts
// with larger logits and a higher first loss.
func Keras(scope *model.Scope) *model.Scope {
	return scope.WithInitializer(initializer.GlorotUniformFn(scope))
}

// Model is the whole network: images [batch, 28, 28, 1] in [0, 1] to logits
// [batch, 10]. Its signature is the one train.NewTrainer accepts.
func Model(scope *model.Scope, images *Node) *Node {
	scope = Keras(scope)
	return Head(scope.In(HeadScope), Base(scope.In(BaseScope), images))
}

// MaxPool2 is Keras' MaxPooling2D(2): the largest value of every 2x2 block,
// per channel; an odd last row or column is dropped (11x11 -> 5x5).
// x [batch, h, w, c] -> [batch, h/2, w/2, c].
//
// It gives the same numbers as GoMLX's graph.MaxPool(x).Window(2).Done()
// (the tests check it), written as a reshape and a ReduceMax because that is
// 3-4x faster to train on XLA's CPU backend: the gradient of ReduceMax is a
// cheap mask, while MaxPool's gradient is XLA's slow SelectAndScatter.
func MaxPool2(x *Node) *Node {
	d := x.Shape().Dimensions
	batch, h, w, c := d[0], d[1]/2, d[2]/2, d[3]
	x = Slice(x, AxisRange(), AxisRange(0, 2*h), AxisRange(0, 2*w), AxisRange())
	x = Reshape(x, batch, h, 2, w, 2, c) // [batch, row, 2, col, 2, c]
	return ReduceMax(x, 2, 4)            // [batch, row, col, c]
}
