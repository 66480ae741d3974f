package cnn

import (
	"fmt"
	"math/rand"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/dataset"
)

// Size is the side of every MNIST / Fashion-MNIST image.
const Size = 28

// NumClasses is the number of labels (digits 0-9, or ten kinds of clothing).
const NumClasses = 10

// Data is a set of images ready for the network: pixels scaled to [0, 1] as
// float32, once, so that training never converts again.
type Data struct {
	Name       string    // "mnist" or "fashion-mnist"
	Split      string    // "train" or "test"
	N          int       // number of images
	X          []float32 // N*28*28 pixels in [0, 1], row-major
	Y          []int32   // N labels in 0..9
	ClassNames []string
}

// LoadData reads a data set split with mlx.LoadImages and scales it to
// [0, 1]. limit > 0 keeps only the first limit images (tests, quick runs).
func LoadData(name, split string, limit int) (*Data, error) {
	im, err := mlx.LoadImages(name, split)
	if err != nil {
		return nil, err
	}
	if im.H != Size || im.W != Size {
		return nil, fmt.Errorf("cnn.LoadData: %s %s images are %dx%d, want %dx%d", name, split, im.H, im.W, Size, Size)
	}
	n := im.N
	if limit > 0 && limit < n {
		n = limit
	}
	d := &Data{Name: name, Split: split, N: n, X: make([]float32, n*Size*Size), Y: make([]int32, n), ClassNames: im.ClassNames}
	for i, p := range im.Pixels[:n*Size*Size] {
		d.X[i] = float32(p) / 255
	}
	for i, l := range im.Labels[:n] {
		d.Y[i] = int32(l)
	}
	return d, nil
}

// Image returns the pixels of image i (a view, not a copy).
func (d *Data) Image(i int) []float32 { return d.X[i*Size*Size : (i+1)*Size*Size] }

// Subset returns the images at the given indices, in that order.
func (d *Data) Subset(indices []int) *Data {
	s := &Data{Name: d.Name, Split: d.Split, N: len(indices), ClassNames: d.ClassNames,
		X: make([]float32, 0, len(indices)*Size*Size), Y: make([]int32, 0, len(indices))}
	for _, i := range indices {
		s.X = append(s.X, d.Image(i)...)
		s.Y = append(s.Y, d.Y[i])
	}
	return s
}

// Sample returns n images drawn without replacement with a fixed seed.
func (d *Data) Sample(n int, seed int64) *Data {
	perm := rand.New(rand.NewSource(seed)).Perm(d.N)
	return d.Subset(perm[:min(n, d.N)])
}

// Tensors returns the images as a [N, 28, 28, 1] tensor and the labels as
// [N, 1] int32, the shapes the model and the loss expect.
func (d *Data) Tensors() (images, labels *tensors.Tensor) {
	return tensors.FromFlatDataAndDimensions(d.X, d.N, Size, Size, 1),
		tensors.FromFlatDataAndDimensions(d.Y, d.N, 1)
}

// Dataset is GoMLX's in-memory dataset over d: shuffled every epoch (with
// seed), endless, in batches of batchSize (the incomplete last batch is
// dropped, so the training graph is compiled for one shape only).
func (d *Data) Dataset(backend compute.Backend, batchSize int, seed int64) (*dataset.InMemoryDataset, error) {
	if d.N < batchSize {
		return nil, fmt.Errorf("cnn: %d images are fewer than one batch of %d", d.N, batchSize)
	}
	x, y := d.Tensors()
	ds, err := dataset.InMemoryFromData(backend, d.Name+"-"+d.Split, []any{x}, []any{y})
	if err != nil {
		return nil, fmt.Errorf("cnn: building the dataset: %w", err)
	}
	return ds.WithRand(rand.New(rand.NewSource(seed))).Shuffle().Infinite(true).BatchSize(batchSize, true), nil
}
