package transformer

import (
	"strings"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

var tiny = Config{SrcVocab: 11, TgtVocab: 13, Dim: 8, Heads: 2, EncoderLayers: 2, DecoderLayers: 2, MLPRatio: 4, MaxLen: 8}

// countParams builds the graph once and counts the model's trainable values.
func countParams(t *testing.T, fn func(scope *model.Scope, g *graph.Graph)) int {
	store := model.NewStore()
	exec := model.MustNewExec(mlx.MustBackend(), store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		fn(scope, g)
		return graph.Const(g, float32(0))
	})
	exec.MustExec()
	n := 0
	for v := range store.IterVariables() {
		if v.Trainable && !strings.HasPrefix(v.Path(), "/#") {
			n += v.Shape().Size()
		}
	}
	return n
}

func TestParamsFormula(t *testing.T) {
	src := func(g *graph.Graph) *graph.Node { return graph.Const(g, [][]int32{{1, 2, 3, 0}}) }
	for _, tie := range []bool{false, true} {
		c := tiny
		c.TieEmbeddings = tie
		got := countParams(t, func(scope *model.Scope, g *graph.Graph) { DecoderOnly(scope, src(g), c) })
		if got != c.Params() {
			t.Errorf("DecoderOnly (tied %v): %d parameters in the store, Params() says %d", tie, got, c.Params())
		}
	}
	got := countParams(t, func(scope *model.Scope, g *graph.Graph) { EncoderDecoder(scope, src(g), src(g), 0, tiny) })
	if got != tiny.EncoderDecoderParams() {
		t.Errorf("EncoderDecoder: %d parameters in the store, EncoderDecoderParams() says %d", got, tiny.EncoderDecoderParams())
	}
}

// TestBlockParamsMatchInventory: BlockParams equals the parameters the
// built model holds under encoder/block_0 and decoder/block_0, for a small
// Config and for the date lesson's.
func TestBlockParamsMatchInventory(t *testing.T) {
	for _, c := range []Config{tiny, SmallSeq2Seq(40, 24)} {
		parts, err := Inventory(mlx.MustBackend(), c)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, p := range parts {
			want := map[string]int{"encoder/block_0": c.BlockParams(false), "decoder/block_0": c.BlockParams(true)}
			if w, ok := want[p.Name]; ok {
				found++
				if p.Params != w {
					t.Errorf("Dim %d: %s holds %d parameters, BlockParams says %d", c.Dim, p.Name, p.Params, w)
				}
			}
		}
		if found != 2 {
			t.Errorf("Dim %d: Inventory has no encoder/block_0 or decoder/block_0: %v", c.Dim, parts)
		}
	}
}

// TestDecoderIsCausal changes the last tokens and checks that the logits of
// the earlier positions do not move, and that those of the changed ones do.
func TestDecoderIsCausal(t *testing.T) {
	for _, postLN := range []bool{false, true} {
		c := tiny
		c.PostLN = postLN
		exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x *graph.Node) *graph.Node {
			return DecoderOnly(scope, x, c)
		})
		a := tensors.MustCopyFlatData[float32](exec.MustExec([][]int32{{1, 2, 3, 4, 5, 6}})[0])
		b := tensors.MustCopyFlatData[float32](exec.MustExec([][]int32{{1, 2, 3, 4, 9, 7}})[0])
		for pos := range 6 {
			same := true
			for v := range c.TgtVocab {
				same = same && a[pos*c.TgtVocab+v] == b[pos*c.TgtVocab+v]
			}
			if pos < 4 && !same {
				t.Errorf("postLN=%v: position %d changed when only positions 4 and 5 did", postLN, pos)
			}
			if pos >= 4 && same {
				t.Errorf("postLN=%v: position %d did not change although its token did", postLN, pos)
			}
		}
	}
}

// TestEncoderIgnoresPadding: extra padding changes nothing at the real positions.
func TestEncoderIgnoresPadding(t *testing.T) {
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, src *graph.Node) *graph.Node {
		memory, _, _ := Encoder(scope, src, 0, tiny)
		return graph.Slice(memory, graph.AxisRange(), graph.AxisRange(0, 3)) // the 3 real tokens
	})
	a := tensors.MustCopyFlatData[float32](exec.MustExec([][]int32{{5, 6, 7, 0}})[0])
	b := tensors.MustCopyFlatData[float32](exec.MustExec([][]int32{{5, 6, 7, 0, 0, 0, 0}})[0])
	for i := range a {
		if d := a[i] - b[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("value %d differs with more padding: %g vs %g", i, a[i], b[i])
		}
	}
}

func TestEncoderDecoderShapes(t *testing.T) {
	oneLayer := tiny
	oneLayer.EncoderLayers, oneLayer.DecoderLayers = 1, 1
	exec := model.MustNewExec(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, src, tgt *graph.Node) []*graph.Node {
		logits, cross := EncoderDecoder(scope, src, tgt, 0, oneLayer)
		return []*graph.Node{logits, cross[0]}
	})
	out := exec.MustExec([][]int32{{1, 2, 0}, {3, 0, 0}}, [][]int32{{1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}})
	if got := out[0].Shape().Dimensions; got[0] != 2 || got[1] != 5 || got[2] != tiny.TgtVocab {
		t.Errorf("logits shape %v", got)
	}
	cross := tensors.MustCopyFlatData[float32](out[1]) // [2, heads, 5, 3]
	for h := range tiny.Heads {
		for q := range 5 {
			if w := cross[((1*tiny.Heads+h)*5+q)*3+1]; w != 0 { // sequence 1: source position 1 is padding
				t.Errorf("cross-attention to padding: %g", w)
			}
		}
	}
}

func TestDates(t *testing.T) {
	train, test := RandomDates(3000, false, 1), RandomDates(300, true, 1)
	seen := map[string]bool{}
	for _, p := range train {
		seen[p.Tgt] = true
	}
	for _, p := range test {
		if seen[p.Tgt] {
			t.Fatalf("held-out date %s is also in the training set", p.Tgt)
		}
	}
	src, in, out, err := EncodeDates(DateVocab(), test)
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 300*SrcLen || len(in) != 300*TgtLen || len(out) != 300*TgtLen {
		t.Errorf("lengths %d %d %d", len(src), len(in), len(out))
	}
	if _, _, _, err := EncodeDates(DateVocab(), []DatePair{{Src: "5 März 2021", Tgt: "2021-03-05"}}); err == nil {
		t.Error("unknown character accepted")
	}
}

func TestTrainDatesLossFalls(t *testing.T) {
	cfg := DateConfig{Model: Config{SrcVocab: DateVocab().Size(), TgtVocab: DateVocab().Size(), Dim: 16, Heads: 2,
		EncoderLayers: 1, DecoderLayers: 1, MLPRatio: 2, MaxLen: SrcLen}, Batch: 16, Steps: 60, LearningRate: 5e-3, TrainPairs: 500, Seed: 3}
	backend := mlx.MustBackend()
	m, err := TrainDates(backend, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if h := m.History; !(h.LastLoss() < h.FirstLoss()/2) {
		t.Errorf("loss did not halve: %v -> %v", h.FirstLoss(), h.LastLoss())
	}
	dir := t.TempDir() + "/dates"
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadDateModel(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := back.Rewrite(backend, []string{"March 5, 2021", "2021년 3월 5일"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range out {
		w := o.Cross[0][1] // block 0, head 1: [out][src]
		if len(o.Cross) != 1 || len(o.Cross[0]) != 2 || len(w) != len(o.OutTokens) || len(w) > 0 && len(w[0]) != len(o.SrcTokens) {
			t.Errorf("%q: %d output tokens, %d source tokens, cross-attention %d blocks %d heads %d rows", o.Src,
				len(o.OutTokens), len(o.SrcTokens), len(o.Cross), len(o.Cross[0]), len(w))
		}
	}

}
