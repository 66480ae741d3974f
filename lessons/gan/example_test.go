package gan_test

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/gan"
	"github.com/baeum-go/baeum/mlx"
)

func ExampleFixedNoise() {
	a, b := gan.FixedNoise(2, 7), gan.FixedNoise(2, 7)
	fmt.Println(len(a), a[0] == b[0], a[199] == b[199]) // two vectors of 100, the same every call
	// Output: 200 true true
}

func ExampleGAN_Generate() {
	g := gan.New(mlx.MustBackend(), 1) // untrained: noise in, noise out
	images, err := g.Generate(gan.FixedNoise(gan.GridSize, 1), gan.GridSize)
	if err != nil {
		fmt.Println(err)
		return
	}
	lo, hi := images[0], images[0]
	for _, v := range images {
		lo, hi = min(lo, v), max(hi, v)
	}
	fmt.Println(len(images), "pixels, all in [0, 1]:", lo >= 0 && hi <= 1)
	// Output: 12544 pixels, all in [0, 1]: true
}

func ExampleVerdict_ConfidentFraction() {
	v := &gan.Verdict{N: 4, Confident: 3, Threshold: 0.9, Histogram: [10]int{0: 2, 2: 1},
		Pred: []int{0, 2, 0, 7}, Confidence: []float32{0.95, 0.99, 0.97, 0.5}} // the 7 is not confident
	fmt.Println(v.ConfidentFraction(), v.Classes())
	// Output: 0.75 2
}

func ExampleCountClasses() {
	fmt.Println(gan.CountClasses([]int{3, 3, 8, 3}), gan.CountClasses([]int{7, 7, 7}), gan.CountClasses(nil))
	// Output: 2 1 0
}

func ExampleDiscriminatorLoss() {
	fmt.Printf("%.3f %.3f\n", gan.DiscriminatorLoss([]float64{0}, []float64{0}), gan.DiscriminatorLoss([]float64{100}, []float64{-100}))
	fmt.Printf("%.3f %.3f\n", gan.GeneratorLoss([]float64{0}), gan.GeneratorLoss([]float64{-100}))
	// Output:
	// 0.693 0.000
	// 0.693 100.000
}
