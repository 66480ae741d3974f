package mlx_test

import (
	"fmt"

	"github.com/baeum-go/baeum/mlx"
)

func ExampleNewWindows() {
	w, err := mlx.NewWindows("demo", [][]int32{{1, 2, 3, 4, 5, 6}}, 2, 3, 1)
	if err != nil {
		panic(err)
	}
	x, y := w.Next()
	fmt.Println(x.Value(), y.Shape())
	// Output: [[3 4 5] [1 2 3]] (Int32)[2, 3, 1]
}
