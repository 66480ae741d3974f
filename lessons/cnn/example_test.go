package cnn_test

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

// Max pooling keeps the largest value of each 2x2 block.
func ExampleMaxPool2() {
	x := [][][][]float32{{ // one 4x4 image, one channel: values 0..15
		{{0}, {1}, {2}, {3}},
		{{4}, {5}, {6}, {7}},
		{{8}, {9}, {10}, {11}},
		{{12}, {13}, {14}, {15}},
	}}
	y := MustExecOnce(mlx.MustBackend(), cnn.MaxPool2, x)
	fmt.Println(y.Shape().Dimensions, y.Value())
	// Output: [1 2 2 1] [[[[5] [7]] [[13] [15]]]]
}

func ExampleModel() {
	images := make([][][][]float32, 2) // two blank images [2, 28, 28, 1]
	for i := range images {
		images[i] = make([][][]float32, 28)
		for r := range images[i] {
			images[i][r] = make([][]float32, 28)
			for c := range images[i][r] {
				images[i][r][c] = []float32{0}
			}
		}
	}
	logits := model.MustExecOnce(mlx.MustBackend(), model.NewStore(), cnn.Model, images)
	fmt.Println("logits:", logits.Shape())
	// Output: logits: (Float32)[2, 10]
}

func ExampleSummary() {
	total := 0
	for _, l := range cnn.Summary() {
		fmt.Printf("%-22s %-9s %6d\n", l.Name, l.Output, l.Params)
		total += l.Params
	}
	fmt.Println("total", total)
	// Output:
	// Conv2D(32, 3x3, relu)  26x26x32     320
	// MaxPool(2)             13x13x32       0
	// Conv2D(64, 3x3, relu)  11x11x64   18496
	// MaxPool(2)             5x5x64         0
	// Conv2D(64, 3x3, relu)  3x3x64     36928
	// Flatten                576            0
	// Dense(64, relu)        64         36928
	// Dense(10, softmax)     10           650
	// total 93322
}

func ExampleChannel() {
	// A 1x2 map with 3 channels, channel-last: pixel 0 = (1,2,3), pixel 1 = (4,5,6).
	fmt.Println(cnn.Channel([]float32{1, 2, 3, 4, 5, 6}, 1, 2, 3, 1))
	// Output: [2 5]
}

func ExampleLoadData() {
	d, err := cnn.LoadData("mnist", "train", 5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.N, "images; labels", d.Y, "; pixel range of the first:", minMax(d.Image(0)))
	// Output: 5 images; labels [5 0 4 1 9] ; pixel range of the first: [0 1]
}

func minMax(v []float32) [2]float32 {
	lo, hi := v[0], v[0]
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return [2]float32{lo, hi}
}

func ExampleClassifier_Predict() {
	clf := cnn.NewClassifier(mlx.MustBackend(), 7) // untrained: random weights
	probs, err := clf.Predict(make([]float32, 3*28*28), 3)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum := float32(0)
	for _, p := range probs[:10] {
		sum += p
	}
	fmt.Printf("%d probabilities; the first image's sum to %.3f\n", len(probs), sum)
	// Output: 30 probabilities; the first image's sum to 1.000
}

// The sides of the seed's network, layer by layer.
func ExampleOutputSize() {
	conv1 := cnn.OutputSize(28, 3, 1, 0)
	pool1 := cnn.OutputSize(conv1, 2, 2, 0)
	conv2 := cnn.OutputSize(pool1, 3, 1, 0)
	pool2 := cnn.OutputSize(conv2, 2, 2, 0)
	fmt.Println(conv1, pool1, conv2, pool2, cnn.OutputSize(pool2, 3, 1, 0))
	// Output: 26 13 11 5 3
}

func ExampleConvParams() {
	fmt.Println(cnn.ConvParams(3, 1, 32), cnn.ConvParams(3, 32, 64), cnn.ConvParams(3, 64, 64))
	// Output: 320 18496 36928
}

// A 2x2 kernel that subtracts the pixel down-right from each pixel.
func ExampleConv2D() {
	image := [][]float32{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
	kernel := [][]float32{{1, 0}, {0, -1}}
	fmt.Println(cnn.Conv2D(image, kernel))
	// Output: [[-4 -4] [-4 -4]]
}

func ExampleConfusion() {
	truth := []int{0, 0, 1, 2}
	pred := []int{0, 1, 1, 1}
	for _, row := range cnn.Confusion(truth, pred, 3) {
		fmt.Println(row)
	}
	// Output:
	// [1 1 0]
	// [0 1 0]
	// [0 1 0]
}
