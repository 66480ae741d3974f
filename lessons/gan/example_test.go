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
	v := &gan.Verdict{N: 256, Confident: 64, Histogram: [10]int{0: 40, 2: 24}}
	fmt.Println(v.ConfidentFraction(), v.Classes())
	// Output: 0.25 2
}
