package attention_test

import (
	"fmt"
	"math"

	"github.com/baeum-go/baeum/lessons/attention"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

func ExampleHandAttention() {
	s := attention.HandAttention([][]float64{{1, 0}}, [][]float64{{1, 0}, {0, 1}}, [][]float64{{1, 2}, {3, 4}}, nil)
	fmt.Printf("scores %.4f\nscaled %.4f\nweights %.4f\noutput %.4f\n", s.Scores, s.Scaled, s.Weights, s.Output)
	// Output:
	// scores [[1.0000 0.0000]]
	// scaled [[0.7071 0.0000]]
	// weights [[0.6698 0.3302]]
	// output [[1.6605 2.6605]]
}

func ExampleHandSoftmax() {
	fmt.Printf("%.4f\n", attention.HandSoftmax([]float64{1, 2, 3}))
	fmt.Printf("%.4f\n", attention.HandSoftmax([]float64{1000, 1001, 1002})) // e^1000 alone would be +Inf
	fmt.Printf("%.4f\n", attention.HandSoftmax([]float64{0.5, math.Inf(-1)}))
	// Output:
	// [0.0900 0.2447 0.6652]
	// [0.0900 0.2447 0.6652]
	// [1.0000 0.0000]
}

func ExampleCausalMatrix() {
	fmt.Println(attention.CausalMatrix(3))
	// Output: [[true false false] [true true false] [true true true]]
}

func ExampleGraphSteps() {
	q, k, v := attention.ExampleQKV()
	mask := attention.CausalMatrix(3)
	steps, err := attention.GraphSteps(mlx.MustBackend(), q, k, v, mask)
	if err != nil {
		panic(err)
	}
	fmt.Printf("masked row 0: %.3f\n", steps.Masked[0])
	fmt.Printf("weights:      %.3f\n", steps.Weights)
	diffs := attention.Compare(steps, attention.HandAttention(q, k, v, mask))
	fmt.Println("equal to the hand computation:", diffs["weights"] < 1e-6 && diffs["output"] < 1e-6)
	// Output:
	// masked row 0: [0.707 -Inf -Inf]
	// weights:      [[1.000 0.000 0.000] [0.330 0.670 0.000] [0.401 0.401 0.198]]
	// equal to the hand computation: true
}

func ExampleScaledDotProductAttention() {
	exec := graph.MustNewExec(mlx.MustBackend(), func(q, k, v *graph.Node) []*graph.Node {
		out, w := attention.ScaledDotProductAttention(q, k, v, attention.CausalMask(q.Graph(), 2))
		return []*graph.Node{out, w}
	})
	res := exec.MustExec([][]float32{{1, 0}, {0, 1}}, [][]float32{{1, 0}, {0, 1}}, [][]float32{{10, 0}, {0, 10}})
	fmt.Printf("output %.3f\nweights %.3f\n", res[0].Value(), res[1].Value())
	// Output:
	// output [[10.000 0.000] [3.302 6.698]]
	// weights [[1.000 0.000] [0.330 0.670]]
}

func ExampleCausalMask() {
	exec := graph.MustNewExec(mlx.MustBackend(), func(g *graph.Graph) *graph.Node { return attention.CausalMask(g, 3) })
	fmt.Println(exec.MustExec()[0].Value())
	// Output: [[true false false] [true true false] [true true true]]
}

func ExampleAndMasks() {
	exec := graph.MustNewExec(mlx.MustBackend(), func(valid *graph.Node) *graph.Node {
		return attention.AndMasks(attention.CausalMask(valid.Graph(), 3), attention.PaddingMask(valid))
	})
	fmt.Println(exec.MustExec([][]bool{{true, true, false}})[0].Value()) // one sequence, last token is padding
	// Output: [[[true false false] [true true false] [true true false]]]
}

func ExampleSplitHeads() {
	exec := graph.MustNewExec(mlx.MustBackend(), func(x *graph.Node) []*graph.Node {
		split := attention.SplitHeads(x, 2) // [batch=1, seq=2, 4] -> [batch=1, heads=2, seq=2, 2]
		return []*graph.Node{split, attention.MergeHeads(split)}
	})
	res := exec.MustExec([][][]float32{{{1, 2, 3, 4}, {5, 6, 7, 8}}})
	fmt.Println(res[0].Shape(), res[0].Value())
	fmt.Println(res[1].Shape(), res[1].Value())
	// Output:
	// (Float32)[1, 2, 2, 2] [[[[1 2] [5 6]] [[3 4] [7 8]]]]
	// (Float32)[1, 2, 4] [[[1 2 3 4] [5 6 7 8]]]
}

func ExampleMultiHead() {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x *graph.Node) []*graph.Node {
		out, w := attention.MultiHead(scope, x, x, 4, attention.CausalMask(x.Graph(), 5))
		return []*graph.Node{out, w}
	})
	x := tensors.FromShape(shapes.Make(dtypes.Float32, 2, 5, 8)) // [batch, seq, dModel], zeros
	res := exec.MustExec(x)
	fmt.Println("output", res[0].Shape(), "weights", res[1].Shape())
	// Output: output (Float32)[2, 5, 8] weights (Float32)[2, 4, 5, 5]
}

func ExampleCompareWithGoMLX() {
	c, err := attention.CompareWithGoMLX(mlx.MustBackend(), 2, 5, 8, 2, nil, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Variables[0])
	fmt.Println("same outputs:", c.MaxOutputDiff < 1e-5, "same weights:", c.MaxWeightDiff < 1e-6)
	// Output:
	// /MultiHeadAttention/key/dense/biases (Float32)[8]
	// same outputs: true same weights: true
}

func ExampleVariance() {
	for _, dk := range []int{4, 64} {
		s, err := attention.Variance(mlx.MustBackend(), dk, 4000, 1)
		if err != nil {
			panic(err)
		}
		fmt.Printf("d_k=%d: variance/d_k %.1f, after scaling %.1f\n", dk, s.RawVariance/float64(dk), s.ScaledVariance)
	}
	// Output:
	// d_k=4: variance/d_k 1.0, after scaling 1.0
	// d_k=64: variance/d_k 1.0, after scaling 1.0
}

func ExampleTrainTinyLM() {
	cfg := attention.LMConfig{Layers: 1, Heads: 2, Dim: 16, Context: 16, Batch: 8, Steps: 40, LearningRate: 1e-2,
		KoreanChars: 200, KoreanLines: 300, Seed: 1}
	data, err := attention.LoadBilingual(cfg)
	if err != nil {
		panic(err)
	}
	lm, err := attention.TrainTinyLM(mlx.MustBackend(), data, cfg)
	if err != nil {
		panic(err)
	}
	maps, err := lm.AttentionMaps(mlx.MustBackend(), "사랑해요, Juliet")
	if err != nil {
		panic(err)
	}
	future, _ := maps.Future()
	fmt.Println(len(maps.Tokens), "characters,", len(maps.Weights), "layer,", len(maps.Weights[0]), "heads; weight on the future:", future)
	fmt.Println("loss fell:", lm.History.LastLoss() < lm.History.FirstLoss())
	// (Not run as a test: mlx.Fit prints timings. TestTinyLMLearns runs the same path.)
	// It prints, after the training summary line:
	// 12 characters, 1 layer, 2 heads; weight on the future: 0
	// loss fell: true
}

func ExampleMaskExample() {
	w, err := attention.MaskExample(mlx.MustBackend(), 2, 1)
	if err != nil {
		panic(err)
	}
	fmt.Printf("no mask, row 1:          %.2f\n", w["no mask"][1])
	fmt.Printf("padding, row 1:          %.2f\n", w["padding"][1])
	fmt.Printf("causal + padding, row 1: %.2f\n", w["causal + padding"][1])
	// Output:
	// no mask, row 1:          [0.07 0.28 0.31 0.13 0.21]
	// padding, row 1:          [0.11 0.42 0.46 0.00 0.00]
	// causal + padding, row 1: [0.21 0.79 0.00 0.00 0.00]
}

func ExampleFormatSteps() {
	q, k, v := attention.ExampleQKV()
	hand := attention.HandAttention(q, k, v, attention.CausalMatrix(3))
	fmt.Print(attention.FormatSteps(hand, hand, "by hand", "again"))
	// Output:
	// step     by hand                    again
	// scores   [ 1.0000  0.0000  1.0000]  [ 1.0000  0.0000  1.0000]  max |diff| 0
	//          [ 0.0000  1.0000 -1.0000]  [ 0.0000  1.0000 -1.0000]
	//          [ 1.0000  1.0000  0.0000]  [ 1.0000  1.0000  0.0000]
	// scaled   [ 0.7071  0.0000  0.7071]  [ 0.7071  0.0000  0.7071]  max |diff| 0
	//          [ 0.0000  0.7071 -0.7071]  [ 0.0000  0.7071 -0.7071]
	//          [ 0.7071  0.7071  0.0000]  [ 0.7071  0.7071  0.0000]
	// masked   [ 0.7071    -Inf    -Inf]  [ 0.7071    -Inf    -Inf]  max |diff| 0
	//          [ 0.0000  0.7071    -Inf]  [ 0.0000  0.7071    -Inf]
	//          [ 0.7071  0.7071  0.0000]  [ 0.7071  0.7071  0.0000]
	// weights  [ 1.0000  0.0000  0.0000]  [ 1.0000  0.0000  0.0000]  max |diff| 0
	//          [ 0.3302  0.6698  0.0000]  [ 0.3302  0.6698  0.0000]
	//          [ 0.4011  0.4011  0.1978]  [ 0.4011  0.4011  0.1978]
	// output   [ 1.0000  0.0000]          [ 1.0000  0.0000]          max |diff| 0
	//          [ 0.3302  0.6698]          [ 0.3302  0.6698]
	//          [ 0.7967  0.7967]          [ 0.7967  0.7967]
}
