package gan

import (
	"github.com/baeum-go/baeum/lessons/cnn"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// NoiseDim is the size of the random vector the generator starts from.
const NoiseDim = 100

// Scope names of the two networks. Each trainer's optimizer sees only its
// own network's scope: that is how the Go code does the seed's
// `discriminator.trainable = False` (see Scoped).
const (
	GeneratorScope     = "generator"
	DiscriminatorScope = "discriminator"
)

// Generator is the seed's generator: noise z [batch, 100] ->
// Dense(128, relu) - Dense(784, tanh) - Reshape(28, 28, 1): images
// [batch, 28, 28, 1] with pixels in [-1, 1].
//
// One layer is added to the seed's: batch normalization after the hidden
// ReLU (as in the Keras-GAN generator; see BatchNorm). Without it the 128 hidden values are
// all positive, so the discriminator's push, the same for every fake,
// moves the output layer along their common mean: every noise vector gives
// the same picture within a few hundred steps (mode collapse, measured
// here). Centering them over the batch leaves only what differs between
// noise vectors for the output layer to learn from.
func Generator(scope *model.Scope, z *Node) *Node {
	scope = cnn.Keras(scope)
	batch := z.Shape().Dimensions[0]
	x := activation.Relu(layers.Dense(scope.In("dense1"), z, true, 128))
	x = BatchNorm(scope.In("batch_norm"), x) // [batch, 128]
	x = Tanh(layers.Dense(scope.In("dense2"), x, true, cnn.Size*cnn.Size))
	return Reshape(x, batch, cnn.Size, cnn.Size, 1)
}

// BatchNorm centers and scales every feature of x [batch, features] over
// the batch (mean 0, variance 1), then applies a learned scale and offset.
//
// Written by hand rather than with GoMLX's norm.BatchNorm for two reasons:
// the pure-Go backend has no batch-norm operation yet, and a GAN samples in
// batches, so the batch's own statistics serve when sampling as well (no
// running averages to keep). Sample at least a few dozen images at a time.
func BatchNorm(scope *model.Scope, x *Node) *Node {
	features := x.Shape().Dimensions[1]
	mean := ReduceAndKeep(x, ReduceMean, 0)                    // [1, features]
	centered := Sub(x, mean)                                   // [batch, features]
	variance := ReduceAndKeep(Square(centered), ReduceMean, 0) // [1, features]
	x = Div(centered, Sqrt(AddScalar(variance, 1e-3)))         // [batch, features]
	scale := scope.WithInitializer(initializer.One).VariableWithShape("scale", shapeOf(features)).NodeValue(x.Graph())
	offset := scope.WithInitializer(initializer.Zero).VariableWithShape("offset", shapeOf(features)).NodeValue(x.Graph())
	return Add(Mul(x, ExpandAxes(scale, 0)), ExpandAxes(offset, 0)) // [batch, features]
}

// Discriminator is the seed's discriminator: images [batch, 28, 28, 1] in
// [-1, 1] -> Conv2D(64, 5x5, same) - MaxPool(2) - Conv2D(128, 5x5, same) -
// MaxPool(2) - Flatten - Dense(1): one logit per image, "real" when
// positive (the seed's sigmoid lives in the loss, loss.BinaryCrossentropyLogits).
// The seed names no activation for the convolutions; each is followed by
// LeakyReLU(0.2), the usual choice for GAN discriminators (the TensorFlow
// DCGAN tutorial's discriminator, whose layers the seed's follow).
func Discriminator(scope *model.Scope, images *Node) *Node {
	scope = cnn.Keras(scope)
	batch := images.Shape().Dimensions[0]
	x := layers.Convolution(scope.In("conv1"), images).Channels(64).KernelSize(5).PadSame().Done()
	x = cnn.MaxPool2(activation.LeakyReluWith(x, 0.2)) // [batch, 14, 14, 64]
	x = layers.Convolution(scope.In("conv2"), x).Channels(128).KernelSize(5).PadSame().Done()
	x = cnn.MaxPool2(activation.LeakyReluWith(x, 0.2)) // [batch, 7, 7, 128]
	x.AssertDims(batch, 7, 7, 128)
	return layers.Dense(scope.In("dense"), Reshape(x, batch, -1), true, 1) // [batch, 1]
}

// Noise draws z ~ N(0, 1), [batch, 100], from the store's random state
// (a variable, so every training step gets fresh noise).
func Noise(scope *model.Scope, g *Graph, batch int) *Node {
	return scope.RandomNormal(g, shapeOf(batch, NoiseDim))
}
