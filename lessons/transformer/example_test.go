package transformer_test

import (
	"fmt"
	"time"

	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
)

var cfg = transformer.Config{SrcVocab: 20, TgtVocab: 30, Dim: 16, Heads: 4, EncoderLayers: 1, DecoderLayers: 1, MLPRatio: 4, MaxLen: 10}

func ExampleConfig_Params() {
	gpt := transformer.Config{TgtVocab: 65, Dim: 128, Heads: 4, DecoderLayers: 4, MLPRatio: 4, MaxLen: 64, TieEmbeddings: true}
	fmt.Println(gpt.Params(), "parameters;", gpt.EncoderDecoderParams() > gpt.Params(), "an encoder-decoder has more")
	// Output: 809921 parameters; true an encoder-decoder has more
}

func ExampleConfig_TrainFLOPsPerToken() {
	gpt := transformer.Config{TgtVocab: 65, Dim: 128, Heads: 4, DecoderLayers: 4, MLPRatio: 4, MaxLen: 64}
	fmt.Printf("%.2f MFLOPs per token (about 6 per weight: %.2f)\n", gpt.TrainFLOPsPerToken(64)/1e6, 6*float64(gpt.Params())/1e6)
	// Output: 5.16 MFLOPs per token (about 6 per weight: 4.91)
}

func ExampleEncoderDecoder() {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, src, tgt *graph.Node) []*graph.Node {
		logits, cross := transformer.EncoderDecoder(scope, src, tgt, 0, cfg)
		return []*graph.Node{logits, cross[0]}
	})
	out := exec.MustExec([][]int32{{4, 5, 6, 0}}, [][]int32{{1, 7, 8}}) // source (0 = padding), target so far
	fmt.Println("logits", out[0].Shape(), "cross-attention", out[1].Shape())
	// Output: logits (Float32)[1, 3, 30] cross-attention (Float32)[1, 4, 3, 4]
}

func ExampleDecoderOnly() {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x *graph.Node) *graph.Node {
		return transformer.DecoderOnly(scope, x, cfg)
	})
	fmt.Println(exec.MustExec([][]int32{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}})[0].Shape())
	// Output: (Float32)[2, 5, 30]
}

func ExampleEncoder() {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, src *graph.Node) []*graph.Node {
		memory, mask, weights := transformer.Encoder(scope, src, 0, cfg)
		return []*graph.Node{memory, mask, weights[0]}
	})
	out := exec.MustExec([][]int32{{4, 5, 0}})
	fmt.Println("memory", out[0].Shape(), "mask", out[1].Value(), "weights", out[2].Shape())
	// Output: memory (Float32)[1, 3, 16] mask [[[true true false]]] weights (Float32)[1, 4, 3, 3]
}

func ExampleEmbed() {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x *graph.Node) []*graph.Node {
		e, table := transformer.Embed(scope, x, 30, cfg)
		h := transformer.MLP(scope.In("mlp"), e, cfg)
		block, w := transformer.EncoderBlock(scope.In("block"), e, nil, cfg)
		dec, cross := transformer.DecoderBlock(scope.In("decoder"), e, block, nil, nil, cfg)
		fmt.Println("table", table.Shape())
		return []*graph.Node{e, h, block, w, dec, cross}
	})
	for _, t := range exec.MustExec([][]int32{{1, 2, 3}}) {
		fmt.Println(t.Shape())
	}
	// Output:
	// table (Float32)[30, 16]
	// (Float32)[1, 3, 16]
	// (Float32)[1, 3, 16]
	// (Float32)[1, 3, 16]
	// (Float32)[1, 4, 3, 3]
	// (Float32)[1, 3, 16]
	// (Float32)[1, 4, 3, 3]
}

func ExampleFormatDate() {
	t := time.Date(2021, 3, 5, 0, 0, 0, 0, time.UTC)
	for _, f := range transformer.DateFormats {
		fmt.Printf("%q ", transformer.FormatDate(t, f))
	}
	fmt.Println()
	// Output: "March 5, 2021" "5 March 2021" "Mar 5, 2021" "2021/3/5" "05.03.2021" "2021년 3월 5일"
}

func ExampleRandomDates() {
	for _, p := range transformer.RandomDates(3, true, 1) {
		fmt.Printf("%-20s -> %s\n", p.Src, p.Tgt)
	}
	// Output:
	// 16.12.1967           -> 1967-12-16
	// 27.11.2060           -> 2060-11-27
	// 05.06.2021           -> 2021-06-05
}

func ExampleEncodeDates() {
	v := transformer.DateVocab()
	src, in, out, err := transformer.EncodeDates(v, []transformer.DatePair{{Src: "2021/3/5", Tgt: "2021-03-05"}})
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Size(), "tokens in the vocabulary")
	fmt.Printf("source  %q (%d ids)\n", v.Decode(src[:9]), len(src))
	fmt.Printf("decoder %q\n", v.Decode(in))
	fmt.Printf("labels  %q\n", v.Decode(out))
	// Output:
	// 47 tokens in the vocabulary
	// source  "2021/3/5[PAD]" (20 ids)
	// decoder "[BOS]2021-03-05"
	// labels  "2021-03-05[EOS]"
}

func ExampleMeasureCost() {
	c := transformer.Config{TgtVocab: 65, Dim: 32, Heads: 4, DecoderLayers: 2, MLPRatio: 4, MaxLen: 16}
	cost, err := transformer.MeasureCost(mlx.MustBackend(), c, 4, 16, 3)
	if err != nil {
		panic(err)
	}
	fmt.Println(cost.Params, "parameters;", cost.MsPerStep > 0, cost.TokensPerSec > 0)
	// Output: 30209 parameters; true true
}

func ExampleScalingConfigs() {
	for _, c := range transformer.ScalingConfigs(65, 64) {
		fmt.Printf("d=%d layers=%d: %.2fM parameters\n", c.Dim, c.DecoderLayers, float64(c.Params())/1e6)
	}
	// Output:
	// d=64 layers=2: 0.11M parameters
	// d=128 layers=2: 0.42M parameters
	// d=256 layers=2: 1.63M parameters
	// d=128 layers=4: 0.82M parameters
	// d=128 layers=8: 1.61M parameters
}

func ExampleInventory() {
	parts, err := transformer.Inventory(mlx.MustBackend(), cfg)
	if err != nil {
		panic(err)
	}
	total := 0
	for _, p := range parts {
		fmt.Printf("%-22s %6d\n", p.Name, p.Params)
		total += p.Params
	}
	fmt.Println(total == cfg.EncoderDecoderParams())
	// Output:
	// encoder/token             320
	// encoder/position          160
	// encoder/block_0          3280
	// encoder/final_ln           32
	// decoder/token             480
	// decoder/position          160
	// decoder/block_0          4400
	// decoder/final_ln           32
	// decoder/logits            510
	// true
}

func ExampleTrainDates() {
	backend := mlx.MustBackend()
	c := transformer.DefaultDateConfig()
	c.Steps = 100
	m, err := transformer.TrainDates(backend, c)
	if err != nil {
		panic(err)
	}
	acc, wrong, err := m.ExactMatch(backend, transformer.RandomDates(100, true, 2))
	if err != nil {
		panic(err)
	}
	fmt.Printf("exact match %.2f, %d wrong\n", acc, len(wrong))
	out, _ := m.Rewrite(backend, []string{"2021년 3월 5일"})
	out[0].ShowCross(0) // in a notebook: the cross-attention heatmap
	// Not run as a test (training prints timings); TestTrainDatesLossFalls runs the same path.
}

func ExampleSchedule() {
	s := transformer.Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: 100, Steps: 2000}
	modelFn := func(scope *model.Scope, x *graph.Node) *graph.Node {
		s.Apply(scope, x.Graph()) // first thing in the model function
		return transformer.DecoderOnly(scope, x, cfg)
	}
	_ = modelFn // give it to train.NewTrainer
	// Not run: it only builds a function.
}

func ExampleSchedule_At() {
	s := transformer.Schedule{LearningRate: 1e-3, MinLR: 1e-4, Warmup: 10, Steps: 110}
	for _, step := range []int{0, 5, 10, 35, 60, 85, 110} {
		fmt.Printf("step %3d: %.3g\n", step, s.At(step))
	}
	// Output:
	// step   0: 0.0001
	// step   5: 0.00055
	// step  10: 0.001
	// step  35: 0.000868
	// step  60: 0.00055
	// step  85: 0.000232
	// step 110: 0.0001
}

func ExampleConfig_BlockParams() {
	gpt2 := transformer.Config{Dim: 768, MLPRatio: 4}
	fmt.Println(gpt2.BlockParams(false), "in a GPT-2 small block;", gpt2.BlockParams(true), "with cross-attention")
	// Output: 7087872 in a GPT-2 small block; 9451776 with cross-attention
}
