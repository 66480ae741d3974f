package llm

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/baeum-go/baeum/lessons/compress"
	"github.com/baeum-go/baeum/mlx"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Config is the shape of a Llama-architecture model, as its GGUF file's
// metadata gives it (SmolLM2-135M: 30 layers, width 576, 9 query heads
// sharing 3 key/value heads, feed-forward width 1,536, 49,152 tokens).
type Config struct {
	Layers   int     // transformer blocks
	Dim      int     // width of the residual stream
	Heads    int     // query heads
	KVHeads  int     // key/value heads (grouped-query attention: Heads/KVHeads queries share one)
	HeadDim  int     // Dim / Heads
	Hidden   int     // SwiGLU's inner width
	Vocab    int     // tokens
	Context  int     // the longest sequence the model was trained on
	RopeBase float64 // θ of the rotary position embedding
	Eps      float64 // RMSNorm's ε
}

// ReadConfig reads the model's shape from the "llama.*" metadata.
func ReadConfig(f *File) (Config, error) {
	var c Config
	ints := []struct {
		key string
		to  *int
	}{
		{"llama.block_count", &c.Layers}, {"llama.embedding_length", &c.Dim},
		{"llama.attention.head_count", &c.Heads}, {"llama.attention.head_count_kv", &c.KVHeads},
		{"llama.feed_forward_length", &c.Hidden}, {"llama.context_length", &c.Context},
	}
	for _, k := range ints {
		v, err := f.Int(k.key)
		if err != nil {
			return c, err
		}
		*k.to = v
	}
	var err error
	if c.RopeBase, err = f.Float("llama.rope.freq_base"); err != nil {
		return c, err
	}
	if c.Eps, err = f.Float("llama.attention.layer_norm_rms_epsilon"); err != nil {
		return c, err
	}
	tokens, err := f.Strings("tokenizer.ggml.tokens")
	if err != nil {
		return c, err
	}
	c.Vocab = len(tokens)
	if c.Heads == 0 || c.KVHeads == 0 || c.Dim%c.Heads != 0 || c.Heads%c.KVHeads != 0 {
		return c, fmt.Errorf("llm: %s: %d heads, %d key/value heads, width %d do not fit together", f.Path, c.Heads, c.KVHeads, c.Dim)
	}
	c.HeadDim = c.Dim / c.Heads
	return c, nil
}

// Params is the number of weights: the token table (shared with the output
// layer), and per block 4 attention matrices, 3 SwiGLU matrices and 2
// RMSNorm scales, and the final RMSNorm.
func (c Config) Params() int {
	kv := c.KVHeads * c.HeadDim
	block := c.Dim*c.Dim*2 + c.Dim*kv*2 + 3*c.Dim*c.Hidden + 2*c.Dim
	return c.Vocab*c.Dim + c.Layers*block + c.Dim
}

// Model is a Llama-architecture LLM in a GoMLX store: its weights,
// dequantized to float32 from the GGUF file, are variables that no
// optimizer may change (Trainable false); LoRA adds its own trainable ones.
type Model struct {
	Config
	Store    *model.Store
	Tok      *Tokenizer
	backend  compute.Backend
	tied     bool               // the output layer reuses the token table (no output.weight)
	adapters *compress.Adapters // LoRA, when set (Teach)
	execs    map[string]*model.Exec
	compiled map[int]bool // padded prompt lengths whose generation graphs have run
}

// Load reads every weight of the GGUF file, dequantizes it to float32 and
// puts it in a new store, under scopes named like the file's tensors
// (blk.3.attn_q.weight -> /blk/3/attn_q, variable "weight").
func Load(backend compute.Backend, f *File) (*Model, error) {
	c, err := ReadConfig(f)
	if err != nil {
		return nil, err
	}
	tok, err := f.Tokenizer()
	if err != nil {
		return nil, err
	}
	m := &Model{Config: c, Store: model.NewStore(), Tok: tok, backend: backend, tied: true, execs: map[string]*model.Exec{}, compiled: map[int]bool{}}
	for _, t := range f.Tensors {
		data, shape, err := f.Float32(t.Name)
		if err != nil {
			return nil, err
		}
		if t.Name == "output.weight" {
			m.tied = false
		}
		scope, name := weightScope(m.Store, t.Name)
		v, err := scope.CreateVariable(name, tensors.FromFlatDataAndDimensions(data, shape...))
		if err != nil {
			return nil, fmt.Errorf("llm: %s: tensor %s: %w", f.Path, t.Name, err)
		}
		v.Trainable = false
	}
	for _, want := range m.expected() {
		scope, name := weightScope(m.Store, want.name)
		v := scope.GetVariable(name)
		if v == nil {
			return nil, fmt.Errorf("llm: %s has no tensor %s: not a Llama-architecture GGUF file", f.Path, want.name)
		}
		if got := v.Shape().Dimensions; !slices.Equal(got, want.shape) {
			return nil, fmt.Errorf("llm: %s: tensor %s has shape %v, the metadata says %v", f.Path, want.name, got, want.shape)
		}
	}
	return m, nil
}

type tensorShape struct {
	name  string
	shape []int
}

// expected lists the tensors a Llama model of this Config must have, with
// their shapes (row-major: a matrix is [outputs, inputs]).
func (m *Model) expected() []tensorShape {
	c := m.Config
	kv := c.KVHeads * c.HeadDim
	list := []tensorShape{{"token_embd.weight", []int{c.Vocab, c.Dim}}, {"output_norm.weight", []int{c.Dim}}}
	for l := range c.Layers {
		b := "blk." + strconv.Itoa(l) + "."
		list = append(list,
			tensorShape{b + "attn_norm.weight", []int{c.Dim}}, tensorShape{b + "attn_q.weight", []int{c.Dim, c.Dim}},
			tensorShape{b + "attn_k.weight", []int{kv, c.Dim}}, tensorShape{b + "attn_v.weight", []int{kv, c.Dim}},
			tensorShape{b + "attn_output.weight", []int{c.Dim, c.Dim}}, tensorShape{b + "ffn_norm.weight", []int{c.Dim}},
			tensorShape{b + "ffn_gate.weight", []int{c.Hidden, c.Dim}}, tensorShape{b + "ffn_up.weight", []int{c.Hidden, c.Dim}},
			tensorShape{b + "ffn_down.weight", []int{c.Dim, c.Hidden}})
	}
	return list
}

// weightScope maps a GGUF tensor name to a store scope and variable name:
// "blk.3.attn_q.weight" -> scope /blk/3/attn_q, variable "weight".
func weightScope(store *model.Store, name string) (*model.Scope, string) {
	parts := strings.Split(name, ".")
	scope := store.Scope("/")
	for _, p := range parts[:len(parts)-1] {
		scope = scope.In("%s", p)
	}
	return scope, parts[len(parts)-1]
}

// weight is the graph node of a model weight, by its GGUF name.
func weight(scope *model.Scope, g *Graph, name string) *Node {
	s, n := weightScope(scope.Store(), name)
	v := s.GetVariable(n)
	if v == nil {
		panic(fmt.Sprintf("llm: no weight %s in the store", name))
	}
	return v.NodeValue(g)
}

// RMSNorm scales each position's vector x [..., Dim] to root-mean-square 1,
// then multiplies by a learned gain per feature: x / √(mean(x²) + ε) · w.
// Unlike lesson 06's LayerNorm it subtracts no mean and adds no offset.
// Written by hand: the lesson teaches it (GoMLX's norm.RMSNorm computes the
// same).
func RMSNorm(x, w *Node, eps float64) *Node {
	ms := ReduceAndKeep(Square(x), ReduceMean, -1)                              // [..., 1]
	return Mul(Div(x, Sqrt(AddScalar(ms, eps))), ExpandLeftToRank(w, x.Rank())) // w [Dim] applies at every position (Sqrt, not Rsqrt: GoMLX has no gradient for Rsqrt)
}

// linear is x [batch, seq, in] times a weight stored [out, in]: x·Wᵀ,
// [batch, seq, out].
// Llama's projections have no bias.
func linear(x, w *Node) *Node {
	return Einsum("bsi,oi->bso", x, w)
}

// SwiGLU is Llama's feed-forward network: down(silu(gate(x)) ⊙ up(x)), where
// silu(a) = a·σ(a). The gate decides, per inner feature, how much of up(x)
// passes. Written by hand: the lesson teaches it.
func SwiGLU(x, gate, up, down *Node) *Node {
	a := linear(x, gate)
	return linear(Mul(Mul(a, Sigmoid(a)), linear(x, up)), down)
}

// RoPE rotates each consecutive pair (x[2i], x[2i+1]) of every head's
// vector x [batch, seq, heads, headDim] by the angle pos·θ^(−2i/headDim),
// pos [batch, seq] being each token's position. A query at position p and a
// key at position q then score by their relative offset p − q only.
//
// Consecutive pairs are llama.cpp's convention, in which the GGUF file
// stores the query and key weights (HF's Llama pairs x[i] with
// x[i+headDim/2] instead, with the rows of those weights permuted to
// match: the same model either way). Written by hand: the lesson teaches it.
func RoPE(x, pos *Node, base float64) *Node {
	g := x.Graph()
	d := x.Shape().Dimensions
	batch, seq, heads, hd := d[0], d[1], d[2], d[3]
	freqs := make([]float32, hd/2)
	for i := range freqs {
		freqs[i] = float32(math.Pow(base, -2*float64(i)/float64(hd)))
	}
	angle := Mul(ExpandAxes(ConvertDType(pos, dtypes.Float32), -1), Reshape(Const(g, freqs), 1, 1, hd/2)) // [batch, seq, hd/2]
	cos, sin := ExpandAxes(Cos(angle), 2), ExpandAxes(Sin(angle), 2)                                      // [batch, seq, 1, hd/2]
	pairs := Reshape(x, batch, seq, heads, hd/2, 2)
	even := Squeeze(Slice(pairs, AxisRange(), AxisRange(), AxisRange(), AxisRange(), AxisElem(0)), -1)
	odd := Squeeze(Slice(pairs, AxisRange(), AxisRange(), AxisRange(), AxisRange(), AxisElem(1)), -1)
	rotEven := Sub(Mul(even, cos), Mul(odd, sin))
	rotOdd := Add(Mul(even, sin), Mul(odd, cos))
	return Reshape(Stack([]*Node{rotEven, rotOdd}, -1), batch, seq, heads, hd)
}

// Attention is grouped-query attention: q [batch, seq, Heads, hd] against
// k and v [batch, keys, KVHeads, hd], each key/value head shared by
// Heads/KVHeads consecutive query heads (SmolLM2: 9 query heads, 3
// key/value heads: a third of the cache). mask [batch, seq, keys] says
// which keys each query may see. It returns [batch, seq, Heads·hd] and
// the attention weights [batch, Heads, seq, keys]. Written by hand with
// two einsums: the lesson teaches it.
func Attention(q, k, v, mask *Node) (out, weights *Node) {
	d := q.Shape().Dimensions
	batch, seq, heads, hd := d[0], d[1], d[2], d[3]
	kvHeads, keys := k.Shape().Dim(2), k.Shape().Dim(1)
	group := heads / kvHeads
	q = Reshape(q, batch, seq, kvHeads, group, hd)
	scores := MulScalar(Einsum("bsgrd,btgd->bgrst", q, k), 1/math.Sqrt(float64(hd))) // [batch, kvHeads, group, seq, keys]
	m := Reshape(mask, batch, 1, 1, seq, keys)
	scores = Where(BroadcastToShape(m, scores.Shape()), scores, BroadcastToShape(Scalar(q.Graph(), dtypes.Float32, -1e9), scores.Shape()))
	w := Softmax(scores, -1)
	out = Einsum("bgrst,btgd->bsgrd", w, v) // [batch, seq, kvHeads, group, hd]
	return Reshape(out, batch, seq, heads*hd), Reshape(w, batch, heads, seq, keys)
}

// Cache is the key/value cache of one sequence batch: the keys and values
// of every position seen so far, per layer, [layers, batch, maxLen,
// KVHeads, hd]. Positions after the current one hold leftovers that the
// mask hides.
type Cache struct{ K, V *Node }

// Forward runs the model on tokens [batch, seq] int32 at positions
// start, start+1, … (start a scalar int32 node). With a cache, the new
// keys and values are written at those positions and attention sees every
// cached position up to the query's own; without one (training, one
// whole sequence), attention sees the sequence itself, causally. It
// returns the logits [batch, seq, Vocab], the updated cache, and the
// attention weights of the layers in keep (nil entries for the others).
func (m *Model) Forward(scope *model.Scope, tokens, start *Node, cache *Cache, keep map[int]bool) (logits *Node, next *Cache, weights []*Node) {
	c := m.Config
	g := tokens.Graph()
	if m.adapters != nil { // the adapted weights read as W + (α/r)·A·B while the graph is built
		defer m.adapters.Apply(scope.Store(), g)()
	}
	batch, seq := tokens.Shape().Dim(0), tokens.Shape().Dim(1)
	table := weight(scope, g, "token_embd.weight")
	x := Gather(table, ExpandAxes(tokens, -1)) // [batch, seq, Dim]
	pos := Add(Iota(g, shapes.Make(dtypes.Int32, batch, seq), 1), start)
	keys := seq
	if cache != nil {
		keys = cache.K.Shape().Dim(2)
	}
	// a query at position p sees the keys at positions <= p
	keyPos := Iota(g, shapes.Make(dtypes.Int32, batch, seq, keys), 2)
	if cache == nil {
		keyPos = Add(keyPos, start)
	}
	mask := LessOrEqual(keyPos, ExpandAxes(pos, -1)) // [batch, seq, keys]
	var newK, newV []*Node                           // each layer's cache after this step's write
	weights = make([]*Node, c.Layers)
	for l := range c.Layers {
		b := "blk." + strconv.Itoa(l) + "."
		h := RMSNorm(x, weight(scope, g, b+"attn_norm.weight"), c.Eps)
		q := Reshape(linear(h, weight(scope, g, b+"attn_q.weight")), batch, seq, c.Heads, c.HeadDim)
		k := Reshape(linear(h, weight(scope, g, b+"attn_k.weight")), batch, seq, c.KVHeads, c.HeadDim)
		v := Reshape(linear(h, weight(scope, g, b+"attn_v.weight")), batch, seq, c.KVHeads, c.HeadDim)
		q, k = RoPE(q, pos, c.RopeBase), RoPE(k, pos, c.RopeBase)
		if cache != nil { // write this step's keys and values into the cache, then attend over all of it
			k = writeAt(Squeeze(Slice(cache.K, AxisElem(l)), 0), k, start)
			v = writeAt(Squeeze(Slice(cache.V, AxisElem(l)), 0), v, start)
			newK, newV = append(newK, k), append(newV, v)
		}
		out, w := Attention(q, k, v, mask)
		if keep[l] {
			weights[l] = w
		}
		x = Add(x, linear(out, weight(scope, g, b+"attn_output.weight")))
		h = RMSNorm(x, weight(scope, g, b+"ffn_norm.weight"), c.Eps)
		x = Add(x, SwiGLU(h, weight(scope, g, b+"ffn_gate.weight"), weight(scope, g, b+"ffn_up.weight"), weight(scope, g, b+"ffn_down.weight")))
	}
	x = RMSNorm(x, weight(scope, g, "output_norm.weight"), c.Eps)
	out := table
	if !m.tied {
		out = weight(scope, g, "output.weight")
	}
	if cache != nil {
		cache = &Cache{K: Stack(newK, 0), V: Stack(newV, 0)}
	}
	return linear(x, out), cache, weights
}

// writeAt returns one layer's cache [batch, maxLen, kvHeads, hd] with
// rows [batch, seq, kvHeads, hd] written at positions start, start+1, ….
// A one-hot [maxLen, seq] matrix places the rows, and the old values stay
// where nothing is written: XLA's DynamicUpdateSlice would do it in place,
// but GoMLX's pure-Go backend has no DynamicUpdateSlice yet, and this
// runs on every backend (both are exact: it adds zeros and multiplies by
// 1). Measured on XLA CPU (BenchmarkGenerate): decode 26 tokens/s this
// way, 25-30 with DynamicUpdateSlice.
func writeAt(cache, rows, start *Node) *Node {
	g := cache.Graph()
	maxLen, seq := cache.Shape().Dim(1), rows.Shape().Dim(1)
	target := Add(Iota(g, shapes.Make(dtypes.Int32, seq), 0), start)                                        // [seq]: where each row goes
	slot := Iota(g, shapes.Make(dtypes.Int32, maxLen, seq), 0)                                              // [maxLen, seq]
	place := ConvertDType(Equal(slot, BroadcastToDims(ExpandAxes(target, 0), maxLen, seq)), dtypes.Float32) // one-hot
	placed := Einsum("ti,bikd->btkd", place, rows)                                                          // [batch, maxLen, kvHeads, hd]
	keep := OneMinus(ReduceSum(place, 1))                                                                   // [maxLen]: 0 where a row lands
	return Add(Mul(cache, Reshape(keep, 1, maxLen, 1, 1)), placed)
}

// ModelPath is where `go run ./kernel setup` put SmolLM2-135M-Instruct's
// GGUF file; a missing file is an error that says to run it.
func ModelPath() (string, error) { return mlx.ModelFile(mlx.SmolLM2, mlx.SmolLM2GGUF) }
