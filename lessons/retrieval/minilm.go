package retrieval

import (
	"encoding/json"
	"fmt"
	"math/bits"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/attention"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/nn"
)

// all-MiniLM-L6-v2 is a sentence-transformers model: a small BERT encoder
// (6 layers, 384 wide, 12 heads) trained so that the mean of its output
// vectors, scaled to length 1, lands near the vectors of texts that mean
// the same. Its pipeline, as modules.json lists it:
//
//	Transformer  BERT: word + position + type embeddings, LayerNorm, 6 blocks
//	Pooling      the mean of the output vectors of the real tokens (not [PAD])
//	Normalize    divide by the length: cosine similarity is then a dot product
//
// Each block is post-LN, as in the BERT paper:
//
//	x = LN(x + Attention(x))   12 heads of 32, padding masked out
//	x = LN(x + W₂·GELU(W₁·x))  384 -> 1536 -> 384, GELU with erf
//
// The weights are the file's, under the file's names, as variables that
// nothing trains. GoMLX supplies the pieces that match BERT exactly:
// nn.LayerNorm (with the file's gain and offset), attention.Core (scaled
// dot-product attention with a boolean mask), activation.Gelu (the erf
// form) and graph.L2Normalize; the rest (dense layers, embeddings, mean
// pooling) is a line of graph ops each.

// MiniLMConfig is the shape of the encoder, from config.json, and the input
// limit, from sentence_bert_config.json.
type MiniLMConfig struct {
	Vocab        int     // vocab_size, 30,522 WordPiece tokens
	Dim          int     // hidden_size, 384
	Heads        int     // num_attention_heads, 12
	Layers       int     // num_hidden_layers, 6
	Hidden       int     // intermediate_size, 1,536
	MaxPositions int     // max_position_embeddings, 512
	TypeVocab    int     // type_vocab_size, 2
	Eps          float64 // layer_norm_eps, 1e-12
	// MaxSeqLen is where inputs are cut, special tokens included:
	// sentence-transformers' max_seq_length, 256. It overrides the 128 of
	// tokenizer.json's "truncation" (sentence-transformers 6.2.0 calls the
	// tokenizer with max_length = max_seq_length; checked by
	// testdata/make_minilm_reference.py).
	MaxSeqLen int
}

// MiniLM is all-MiniLM-L6-v2 loaded into a GoMLX store.
type MiniLM struct {
	Config MiniLMConfig
	Store  *model.Store
	// BatchSize is how many texts one forward pass embeds (64).
	BatchSize int
	tok       *tokenize.HFTokenizer
	backend   compute.Backend
	exec      *model.Exec
}

// minilmSeqBucket: a batch is padded to a multiple of this many tokens, so
// that a few compiled graphs serve every batch (each new shape costs a
// compilation, about 0.6 s on XLA's CPU). Measured on 64 FAQ questions of at
// most 18 tokens, 2 cores: 302 sentences/s padded to 24 (a multiple of 8),
// 209 padded to 32 (a multiple of 16).
const minilmSeqBucket = 8

// LoadMiniLM reads the model that `go run ./kernel setup` installed
// (mlx.ModelFile gives the error that says how when it is missing).
func LoadMiniLM(backend compute.Backend) (*MiniLM, error) {
	path := map[string]string{}
	for _, f := range []string{mlx.MiniLMConfig, mlx.MiniLMSentenceConfig, mlx.MiniLMPooling, mlx.MiniLMModules, mlx.MiniLMTokenizer, mlx.MiniLMWeights} {
		p, err := mlx.ModelFile(mlx.MiniLM, f)
		if err != nil {
			return nil, err
		}
		path[f] = p
	}
	c, err := readMiniLMConfig(path)
	if err != nil {
		return nil, err
	}
	tok, err := tokenize.LoadHF(path[mlx.MiniLMTokenizer])
	if err != nil {
		return nil, err
	}
	padID, padToken := 0, "[PAD]"
	if p := tok.Padding(); p != nil { // the file's Fixed(128) padding names them
		padID, padToken = p.PadID, p.PadToken
	}
	if tok, err = tok.WithTruncation(&tokenize.Truncation{MaxLength: c.MaxSeqLen, Strategy: tokenize.LongestFirst, Direction: tokenize.DirectionRight}); err != nil {
		return nil, err
	}
	if tok, err = tok.WithPadding(&tokenize.Padding{Strategy: tokenize.BatchLongest, Direction: tokenize.DirectionRight,
		PadToMultipleOf: minilmSeqBucket, PadID: padID, PadToken: padToken}); err != nil {
		return nil, err
	}
	m := &MiniLM{Config: c, Store: model.NewStore(), BatchSize: 64, tok: tok, backend: backend}
	if err := m.loadWeights(path[mlx.MiniLMWeights]); err != nil {
		return nil, err
	}
	m.exec, err = model.NewExec(backend, m.Store, func(scope *model.Scope, ids, types, mask *graph.Node) *graph.Node {
		return m.Sentence(scope, ids, types, mask)
	})
	if err != nil {
		return nil, fmt.Errorf("retrieval: compiling MiniLM: %w", err)
	}
	m.exec.SetMaxCache(128) // one graph per (rows, length): 7 row counts, 32 lengths
	return m, nil
}

// readMiniLMConfig reads the four small JSON files and refuses what this
// encoder does not implement.
func readMiniLMConfig(path map[string]string) (MiniLMConfig, error) {
	var bert struct {
		Vocab        int     `json:"vocab_size"`
		Dim          int     `json:"hidden_size"`
		Heads        int     `json:"num_attention_heads"`
		Layers       int     `json:"num_hidden_layers"`
		Hidden       int     `json:"intermediate_size"`
		MaxPositions int     `json:"max_position_embeddings"`
		TypeVocab    int     `json:"type_vocab_size"`
		Eps          float64 `json:"layer_norm_eps"`
		Act          string  `json:"hidden_act"`
		PosType      string  `json:"position_embedding_type"`
	}
	var sentence struct {
		MaxSeqLen int `json:"max_seq_length"`
	}
	var pooling struct {
		Mean bool `json:"pooling_mode_mean_tokens"`
		CLS  bool `json:"pooling_mode_cls_token"`
		Max  bool `json:"pooling_mode_max_tokens"`
	}
	var modules []struct {
		Type string `json:"type"`
	}
	for file, v := range map[string]any{mlx.MiniLMConfig: &bert, mlx.MiniLMSentenceConfig: &sentence, mlx.MiniLMPooling: &pooling, mlx.MiniLMModules: &modules} {
		data, err := os.ReadFile(path[file])
		if err != nil {
			return MiniLMConfig{}, fmt.Errorf("retrieval: %w", err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			return MiniLMConfig{}, fmt.Errorf("retrieval: %s: %w", path[file], err)
		}
	}
	var kinds []string
	for _, m := range modules {
		kinds = append(kinds, m.Type[strings.LastIndex(m.Type, ".")+1:])
	}
	switch {
	case bert.Act != "gelu" || (bert.PosType != "" && bert.PosType != "absolute"):
		return MiniLMConfig{}, fmt.Errorf("retrieval: %s: hidden_act %q, position_embedding_type %q; this encoder implements gelu and absolute", path[mlx.MiniLMConfig], bert.Act, bert.PosType)
	case bert.Heads <= 0 || bert.Dim%bert.Heads != 0 || bert.Layers <= 0 || bert.MaxPositions <= 2:
		return MiniLMConfig{}, fmt.Errorf("retrieval: %s: %d heads do not divide width %d (or no layers)", path[mlx.MiniLMConfig], bert.Heads, bert.Dim)
	case !pooling.Mean || pooling.CLS || pooling.Max:
		return MiniLMConfig{}, fmt.Errorf("retrieval: %s: only mean pooling is implemented", path[mlx.MiniLMPooling])
	case !slices.Equal(kinds, []string{"Transformer", "Pooling", "Normalize"}):
		return MiniLMConfig{}, fmt.Errorf("retrieval: %s lists %v; this lesson implements Transformer, Pooling, Normalize", path[mlx.MiniLMModules], kinds)
	}
	maxSeq := bert.MaxPositions
	if sentence.MaxSeqLen > 0 {
		maxSeq = min(sentence.MaxSeqLen, maxSeq)
	}
	return MiniLMConfig{Vocab: bert.Vocab, Dim: bert.Dim, Heads: bert.Heads, Layers: bert.Layers, Hidden: bert.Hidden,
		MaxPositions: bert.MaxPositions, TypeVocab: bert.TypeVocab, Eps: bert.Eps, MaxSeqLen: maxSeq}, nil
}

// weightShapes lists the tensors the encoder reads, by their names in the
// file, with the shapes the config implies (a dense weight is [out, in],
// PyTorch's order). The file's pooler (BERT's [CLS] head) and position_ids
// are not used.
func (c MiniLMConfig) weightShapes() map[string][]int {
	shapes := map[string][]int{
		"embeddings.word_embeddings.weight":       {c.Vocab, c.Dim},
		"embeddings.position_embeddings.weight":   {c.MaxPositions, c.Dim},
		"embeddings.token_type_embeddings.weight": {c.TypeVocab, c.Dim},
		"embeddings.LayerNorm.weight":             {c.Dim},
		"embeddings.LayerNorm.bias":               {c.Dim},
	}
	for l := range c.Layers {
		p := fmt.Sprintf("encoder.layer.%d.", l)
		for _, name := range []string{"attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"} {
			shapes[p+name+".weight"], shapes[p+name+".bias"] = []int{c.Dim, c.Dim}, []int{c.Dim}
		}
		shapes[p+"intermediate.dense.weight"], shapes[p+"intermediate.dense.bias"] = []int{c.Hidden, c.Dim}, []int{c.Hidden}
		shapes[p+"output.dense.weight"], shapes[p+"output.dense.bias"] = []int{c.Dim, c.Hidden}, []int{c.Dim}
		for _, ln := range []string{"attention.output.LayerNorm", "output.LayerNorm"} {
			shapes[p+ln+".weight"], shapes[p+ln+".bias"] = []int{c.Dim}, []int{c.Dim}
		}
	}
	return shapes
}

// loadWeights puts every tensor the encoder reads into the store as a
// variable that no optimizer changes: "encoder.layer.0.output.dense.weight"
// becomes /encoder/layer/0/output/dense/weight.
func (m *MiniLM) loadWeights(path string) error {
	st, err := OpenSafetensors(path)
	if err != nil {
		return err
	}
	for name, shape := range m.Config.weightShapes() {
		data, got, err := st.Float32(name)
		if err != nil {
			return fmt.Errorf("%w (is %s a BERT model?)", err, path)
		}
		if !slices.Equal(got, shape) {
			return fmt.Errorf("retrieval: %s: tensor %s has shape %v, config.json implies %v", path, name, got, shape)
		}
		dir, base := minilmWeightPath(name)
		v, err := m.Store.Scope(dir).CreateVariable(base, tensors.FromFlatDataAndDimensions(data, shape...))
		if err != nil {
			return fmt.Errorf("retrieval: %s: %s: %w", path, name, err)
		}
		v.Trainable = false
	}
	return nil
}

// minilmWeightPath turns a file name into a store scope and variable name:
// "embeddings.LayerNorm.bias" -> ("/embeddings/LayerNorm", "bias").
func minilmWeightPath(name string) (string, string) {
	i := strings.LastIndexByte(name, '.')
	return "/" + strings.ReplaceAll(name[:i], ".", "/"), name[i+1:]
}

// minilmWeight is the graph node of the weight the file calls name.
func minilmWeight(scope *model.Scope, g *graph.Graph, name string) *graph.Node {
	dir, base := minilmWeightPath(name)
	v := scope.Store().GetVariable(dir + "/" + base)
	if v == nil {
		panic(fmt.Sprintf("retrieval: no weight %s in the store", name))
	}
	return v.NodeValue(g)
}

// minilmDense is PyTorch's Linear: x·Wᵀ + b, with W stored [out, in] as in the
// file. x is [batch, seq, in]; the result [batch, seq, out].
func minilmDense(scope *model.Scope, x *graph.Node, name string) *graph.Node {
	y := graph.Einsum("bsi,oi->bso", x, minilmWeight(scope, x.Graph(), name+".weight"))
	return graph.Add(y, graph.ExpandLeftToRank(minilmWeight(scope, x.Graph(), name+".bias"), 3))
}

// layerNorm is GoMLX's nn.LayerNorm over the features, with the file's
// gain ("weight") and offset ("bias").
func (m *MiniLM) layerNorm(scope *model.Scope, x *graph.Node, name string) *graph.Node {
	g := x.Graph()
	return nn.LayerNorm(x, []int{x.Rank() - 1}, m.Config.Eps, minilmWeight(scope, g, name+".weight"), minilmWeight(scope, g, name+".bias"), nil)
}

// embeddings is BERT's input: the vector of each token, plus the vector of
// its position (0, 1, 2, ...) and of its type (0 for a single text), then
// LayerNorm. ids and types are [batch, seq] int32; it returns
// [batch, seq, Dim].
func (m *MiniLM) embeddings(scope *model.Scope, ids, types *graph.Node) *graph.Node {
	g := ids.Graph()
	batch, seq := ids.Shape().Dim(0), ids.Shape().Dim(1)
	word := minilmWeight(scope, g, "embeddings.word_embeddings.weight")         // [Vocab, Dim]
	position := minilmWeight(scope, g, "embeddings.position_embeddings.weight") // [MaxPositions, Dim]
	typ := minilmWeight(scope, g, "embeddings.token_type_embeddings.weight")    // [TypeVocab, Dim]
	x := graph.Gather(word, graph.ExpandAxes(ids, -1))                          // [batch, seq, Dim]
	x = graph.Add(x, graph.ExpandAxes(graph.Slice(position, graph.AxisRange(0, seq)), 0))
	x = graph.Add(x, graph.Gather(typ, graph.ExpandAxes(types, -1)))
	x.AssertDims(batch, seq, m.Config.Dim)
	return m.layerNorm(scope, x, "embeddings.LayerNorm")
}

// selfAttention is BERT's multi-head self-attention: queries, keys and
// values are dense projections of x [batch, seq, Dim], split into Heads
// heads; keyMask [batch, seq] (true for a real token) keeps every query from
// looking at padding. The heads' outputs, joined, go through one more dense
// layer.
func (m *MiniLM) selfAttention(scope *model.Scope, x, keyMask *graph.Node, prefix string) *graph.Node {
	c := m.Config
	batch, seq := x.Shape().Dim(0), x.Shape().Dim(1)
	split := func(t *graph.Node) *graph.Node { return graph.Reshape(t, batch, seq, c.Heads, c.Dim/c.Heads) } // [batch, seq, heads, headDim]
	q := split(minilmDense(scope, x, prefix+"self.query"))
	k := split(minilmDense(scope, x, prefix+"self.key"))
	v := split(minilmDense(scope, x, prefix+"self.value"))
	mask := graph.Reshape(keyMask, batch, 1, 1, seq) // broadcast to the scores [batch, query, heads, key]
	out, _ := attention.Core(q, k, v, attention.LayoutBSHD, attention.CoreOptions{AttentionMask: mask})
	out = graph.Reshape(out, batch, seq, c.Dim) // the heads side by side
	return minilmDense(scope, out, prefix+"output.dense")
}

// block is encoder layer l: attention, then the feed-forward network, each
// added to its input and normalized (post-LN). x is [batch, seq, Dim].
func (m *MiniLM) block(scope *model.Scope, x, keyMask *graph.Node, l int) *graph.Node {
	p := fmt.Sprintf("encoder.layer.%d.", l)
	x = m.layerNorm(scope, graph.Add(x, m.selfAttention(scope, x, keyMask, p+"attention.")), p+"attention.output.LayerNorm")
	h := activation.Gelu(minilmDense(scope, x, p+"intermediate.dense")) // [batch, seq, Hidden]
	x = m.layerNorm(scope, graph.Add(x, minilmDense(scope, h, p+"output.dense")), p+"output.LayerNorm")
	x.AssertDims(x.Shape().Dim(0), x.Shape().Dim(1), m.Config.Dim)
	return x
}

// Encode runs the encoder: ids, types and mask are [batch, seq] int32 (mask
// 1 for a token, 0 for padding); it returns the output vector of every
// token, [batch, seq, Dim] (transformers' last_hidden_state).
func (m *MiniLM) Encode(scope *model.Scope, ids, types, mask *graph.Node) *graph.Node {
	keyMask := graph.NotEqual(mask, graph.ScalarZero(mask.Graph(), mask.DType()))
	x := m.embeddings(scope, ids, types)
	for l := range m.Config.Layers {
		x = m.block(scope, x, keyMask, l)
	}
	return x
}

// MeanPooling averages the vectors h [batch, seq, Dim] of the tokens whose
// mask [batch, seq] is 1, as sentence-transformers' Pooling does (the count
// kept at least 1e-9, so an all-padding row gives zeros): [batch, Dim].
func MeanPooling(h, mask *graph.Node) *graph.Node {
	m := graph.ExpandAxes(graph.ConvertDType(mask, h.DType()), -1) // [batch, seq, 1]
	sum := graph.ReduceSum(graph.Mul(h, m), 1)                     // [batch, Dim]
	count := graph.MaxScalar(graph.ReduceSum(m, 1), 1e-9)
	return graph.Div(sum, count)
}

// Sentence is the whole pipeline: Encode, MeanPooling, then scale each vector
// to length 1 (graph.L2Normalize). It returns [batch, Dim].
func (m *MiniLM) Sentence(scope *model.Scope, ids, types, mask *graph.Node) *graph.Node {
	return graph.L2Normalize(MeanPooling(m.Encode(scope, ids, types, mask), mask), -1)
}

// Tokenizer is the model's tokenizer as Embed uses it: tokenizer.json with
// sentence-transformers' truncation (MaxSeqLen tokens) and padding to a
// multiple of 8 tokens.
func (m *MiniLM) Tokenizer() *tokenize.HFTokenizer { return m.tok }

// Embed returns the sentence embedding of each text: 384 float32 values of
// length 1, so the cosine similarity of two texts is their dot product.
// Like sentence-transformers, it sorts the texts by length so that a batch
// holds texts of similar length, embeds BatchSize texts at a time (padded
// to the batch's longest, rounded up to 8 tokens; the rows to a power of
// two), and returns the vectors in the order of texts.
func (m *MiniLM) Embed(texts []string) ([][]float32, error) {
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return utf8.RuneCountInString(texts[b]) - utf8.RuneCountInString(texts[a]) // longest first
	})
	out := make([][]float32, len(texts))
	batch := max(m.BatchSize, 1)
	for start := 0; start < len(order); start += batch {
		idx := order[start:min(start+batch, len(order))]
		chunk := make([]string, len(idx))
		for i, j := range idx {
			chunk[i] = texts[j]
		}
		vecs, err := m.embedBatch(chunk)
		if err != nil {
			return nil, err
		}
		for i, j := range idx {
			out[j] = vecs[i]
		}
	}
	return out, nil
}

// embedBatch embeds up to BatchSize texts in one forward pass.
func (m *MiniLM) embedBatch(texts []string) ([][]float32, error) {
	rows, err := m.tok.EncodeBatch(texts)
	if err != nil {
		return nil, err
	}
	// Pad the row count to a power of two with empty rows (mask all 0), so
	// that the last, smaller batch of a corpus reuses a compiled graph.
	n := 1 << bits.Len(uint(len(rows)-1))
	seq := len(rows[0].IDs)
	ids, types, mask := make([]int32, n*seq), make([]int32, n*seq), make([]int32, n*seq)
	for i, r := range rows {
		for j := range seq {
			ids[i*seq+j], types[i*seq+j], mask[i*seq+j] = int32(r.IDs[j]), int32(r.TypeIDs[j]), int32(r.AttentionMask[j])
		}
	}
	res, err := m.exec.Exec(tensors.FromFlatDataAndDimensions(ids, n, seq),
		tensors.FromFlatDataAndDimensions(types, n, seq), tensors.FromFlatDataAndDimensions(mask, n, seq))
	if err != nil {
		return nil, fmt.Errorf("retrieval: MiniLM: %w", err)
	}
	flat := tensors.MustCopyFlatData[float32](res[0])
	d := m.Config.Dim
	vecs := make([][]float32, len(rows))
	for i := range vecs {
		vecs[i] = flat[i*d : (i+1)*d : (i+1)*d]
	}
	return vecs, nil
}
