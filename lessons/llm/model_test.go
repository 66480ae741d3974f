package llm

import (
	"math"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// RoPE against a hand computation: one head of 4 values at position 3
// with θ = 100. Pair 0 turns by 3·100⁰ = 3 radians, pair 1 by
// 3·100^(−2/4) = 0.3 radians: (x0, x1) -> (x0·cos − x1·sin, x0·sin + x1·cos).
func TestRoPEByHand(t *testing.T) {
	x := []float32{1, 2, 3, 4}
	out := model.MustExecOnce(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x, pos *Node) *Node {
		return RoPE(x, pos, 100)
	}, tensors.FromFlatDataAndDimensions(x, 1, 1, 1, 4), tensors.FromFlatDataAndDimensions([]int32{3}, 1, 1))
	got := tensors.MustCopyFlatData[float32](out)
	c0, s0, c1, s1 := math.Cos(3), math.Sin(3), math.Cos(0.3), math.Sin(0.3)
	want := []float64{1*c0 - 2*s0, 1*s0 + 2*c0, 3*c1 - 4*s1, 3*s1 + 4*c1}
	for i := range want {
		if math.Abs(float64(got[i])-want[i]) > 1e-5 {
			t.Fatalf("RoPE = %v, want %v", got, want)
		}
	}
	// position 0 leaves the vector as it is
	out = model.MustExecOnce(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x, pos *Node) *Node {
		return RoPE(x, pos, 100)
	}, tensors.FromFlatDataAndDimensions(x, 1, 1, 1, 4), tensors.FromFlatDataAndDimensions([]int32{0}, 1, 1))
	for i, v := range tensors.MustCopyFlatData[float32](out) {
		if v != x[i] {
			t.Fatalf("RoPE at position 0 changed %v into %v", x, tensors.MustCopyFlatData[float32](out))
		}
	}
}

// A query and a key rotated by RoPE score by their offset only: positions
// (5, 2) and (13, 10) give the same dot product.
func TestRoPERelative(t *testing.T) {
	q, k := []float32{0.3, -1, 2, 0.5, 1, 1, -0.2, 0.7}, []float32{1, 0.1, -0.4, 2, 0.3, -1, 0.6, 0.2}
	score := func(pq, pk int32) float64 {
		out := model.MustExecOnceN(mlx.MustBackend(), model.NewStore(), func(scope *model.Scope, x, pos *Node) []*Node {
			r := RoPE(x, pos, 10000)
			return []*Node{r}
		}, tensors.FromFlatDataAndDimensions(append(append([]float32{}, q...), k...), 1, 2, 1, 8), tensors.FromFlatDataAndDimensions([]int32{pq, pk}, 1, 2))
		v := tensors.MustCopyFlatData[float32](out[0])
		s := 0.0
		for i := range 8 {
			s += float64(v[i]) * float64(v[8+i])
		}
		return s
	}
	if a, b := score(5, 2), score(13, 10); math.Abs(a-b) > 1e-4 {
		t.Errorf("offset 3 scores %.6f at (5, 2) and %.6f at (13, 10)", a, b)
	}
}

var (
	loadOnce sync.Once
	loaded   *Model
	loadErr  error
)

// smolLM loads the real model once for the tests that need it, or skips.
func smolLM(t *testing.T) *Model {
	t.Helper()
	path := os.Getenv("BAEUM_GGUF")
	if path == "" {
		p, err := ModelPath()
		if err != nil {
			t.Skip("SmolLM2 not installed (go run ./kernel setup):", err)
		}
		path = p
	}
	loadOnce.Do(func() {
		var f *File
		if f, loadErr = Open(path); loadErr == nil {
			loaded, loadErr = Load(mlx.MustBackend(), f)
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

// The KV cache is an optimization, not a change of model: greedy
// generation with it gives the same tokens as running the whole sequence
// again at every step.
func TestCacheEqualsNoCache(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 135M-parameter model")
	}
	m := smolLM(t)
	prompt := m.Tok.Encode("The capital of France is")
	g, err := m.Generate(prompt, 6, Greedy())
	if err != nil {
		t.Fatal(err)
	}
	ref, err := m.GenerateNoCache(prompt, 6)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Tokens) != len(ref) {
		t.Fatalf("with cache %v, without %v", g.Tokens, ref)
	}
	for i := range ref {
		if g.Tokens[i] != ref[i] {
			t.Fatalf("with cache %v (%q), without %v", g.Tokens, g.Text, ref)
		}
	}
	t.Logf("%q: prefill %.0f tokens/s, decode %.1f tokens/s", g.Text, g.PrefillTokensPerSec(), g.DecodeTokensPerSec())
}

// The model's logits equal transformers' on the reference prompts, and
// greedy generation (with the cache) continues them the same way.
func TestReferenceParity(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a 135M-parameter model")
	}
	m := smolLM(t)
	r, err := LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	ps, err := m.CompareWithReference(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		t.Logf("%s: max |Δlogit| %.2g, top-1 %d (reference %d), greedy %d/%d: %q", p.Name, p.MaxAbsDiff, p.Top1, p.RefTop1, p.GreedySame, p.GreedyLen, p.Continuation)
		if p.MaxAbsDiff > 1e-3 || p.Top1 != p.RefTop1 || p.GreedySame != p.GreedyLen {
			t.Errorf("%s differs from the reference", p.Name)
		}
	}
}

// LoRA on the chat examples: the loss on the answer tokens falls, the
// answer to a taught question changes to the taught one, and not one bit
// of the base weights changes.
func TestTeach(t *testing.T) {
	if testing.Short() {
		t.Skip("fine-tunes a 135M-parameter model")
	}
	path, err := ModelPath()
	if err != nil {
		t.Skip("SmolLM2 not installed (go run ./kernel setup):", err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Load(mlx.MustBackend(), f)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultTeach()
	taught, err := m.Teach(BaeumFacts(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	first, last := taught.Losses[0], taught.Losses[len(taught.Losses)-1]
	t.Logf("loss %.3f -> %.3f in %d steps, first (compiling) %.1f s, the rest %.1f s; %d adapter weights", first, last, len(taught.Losses), taught.CompileSeconds, taught.Seconds, taught.Trainable)
	if !(last < first/4) {
		t.Errorf("loss %.3f -> %.3f: LoRA did not learn the answers", first, last)
	}
	if taught.BaseBefore != taught.After {
		t.Error("the base weights changed")
	}
	if want := m.Layers * cfg.Adapters.Rank * (3*m.Dim + m.KVHeads*m.HeadDim); taught.Trainable != want { // q: r·(576+576), v: r·(192+576)
		t.Errorf("%d adapter weights, want %d", taught.Trainable, want)
	}
	g, err := m.Ask("What is Baeum?", 40, Greedy())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("after: %q", g.Text)
	if !strings.Contains(g.Text, "Go notebooks") {
		t.Errorf("after LoRA the answer is %q", g.Text)
	}
}
