package finetune

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// Init is how a fine-tuning run's encoder starts.
type Init int

const (
	// Pretrained starts from lesson 07's weights: the encoder and BERT's
	// pooler (the Dense-tanh on [CLS] that next-sentence prediction trained).
	Pretrained Init = iota
	// Random starts the same network from fresh random weights, drawn as
	// lesson 07 drew them before pretraining: what pretraining buys is the
	// difference.
	Random
)

func (i Init) String() string {
	return map[Init]string{Pretrained: "pretrained", Random: "random init"}[i]
}

// Start is where a fine-tuning run begins: the pretrained BERT's
// configuration and tokenizer, whether its weights are used, and whether
// the encoder is frozen (only the new head learns).
type Start struct {
	BERT   *pretrain.BERT
	Init   Init
	Freeze bool
}

// Name is how the run is labelled in tables and plots.
func (s Start) Name() string {
	if s.Freeze {
		return s.Init.String() + ", encoder frozen"
	}
	return s.Init.String()
}

// config is the encoder's configuration at the run's sequence length
// (longer than pretraining's, the position table is lengthened, see
// ExtendPositions).
func (s Start) config(maxLen int) transformer.Config {
	c := s.BERT.Config
	c.MaxLen = max(maxLen, c.MaxLen)
	return c
}

// positionTable is the variable that holds the encoder's position vectors.
const positionTable = "/encoder/position/embeddings"

// store builds the variables a run starts from. With Pretrained, the
// encoder's and the pooler's weights are copied from the BERT's checkpoint
// (the masked-LM and next-sentence heads and Adam's moments stay behind);
// with Random the store is empty and the model creates fresh weights.
func (s Start) store(seed uint64, maxLen int) (*model.Store, error) {
	store := model.NewStore()
	store.SetParam(model.ParamInitialSeed, int64(seed))
	if s.Init == Random {
		return store, nil
	}
	var h *checkpoint.Handler
	if s.BERT.Store != nil {
		h, _ = s.BERT.Store.Loader().(*checkpoint.Handler)
	}
	if h == nil {
		return nil, fmt.Errorf("finetune: the BERT was not loaded from a checkpoint (use pretrain.LoadOrTrainBERT)")
	}
	loaded := h.LoadedVariables()
	copied := 0
	for _, name := range slices.Sorted(maps.Keys(loaded)) { // a fixed order: the same run gives the same numbers
		value := loaded[name]
		path, _ := strings.CutPrefix(name, "var:")
		if !strings.HasPrefix(path, "/encoder/") && !strings.HasPrefix(path, "/pooler/") {
			continue
		}
		// A copy: training donates its variables' buffers, and the next
		// run from the same BERT must find the checkpoint's values intact.
		value, err := value.LocalClone()
		if err != nil {
			return nil, fmt.Errorf("finetune: copying %s: %w", path, err)
		}
		if path == positionTable {
			if value.Shape().Dim(0) != s.BERT.Config.MaxLen || value.Shape().Dim(1) != s.BERT.Config.Dim {
				return nil, fmt.Errorf("finetune: the checkpoint's position table is %v, its configuration says [%d %d]: "+
					"the checkpoint is damaged; delete it and run notebook 07 again", value.Shape().Dimensions, s.BERT.Config.MaxLen, s.BERT.Config.Dim)
			}
			table := tensors.MustCopyFlatData[float32](value)
			value = tensors.FromFlatDataAndDimensions(ExtendPositions(table, s.BERT.Config.Dim, s.config(maxLen).MaxLen), s.config(maxLen).MaxLen, s.BERT.Config.Dim)
		}
		if _, err := store.CreateVariable(path, value); err != nil {
			return nil, fmt.Errorf("finetune: copying %s: %w", path, err)
		}
		copied++
	}
	if copied == 0 {
		return nil, fmt.Errorf("finetune: the BERT's checkpoint holds no encoder weights; run notebook 07 again")
	}
	return store, nil
}

// freeze marks the encoder's variables as not trainable when the run
// freezes it. Call it in the model function, after the model is built:
// GoMLX's layer norm marks its gain and offset trainable whenever it runs.
func (s Start) freeze(store *model.Store) {
	if !s.Freeze {
		return
	}
	for v := range store.IterVariables() {
		if strings.HasPrefix(v.Path(), "/encoder/") {
			v.SetTrainable(false)
		}
	}
}

// ExtendPositions lengthens a position table of rows vectors of width dim
// (row-major) to n rows by repeating it: row r of the new table is row
// r mod rows of the old one. The pretrained model only ever saw its first
// rows positions; repeating them (as Longformer did to lengthen RoBERTa,
// Beltagy et al. 2020) gives the new positions vectors the model already
// knows how to read, and fine-tuning tells them apart. With n <= rows the
// table is cut to n rows.
func ExtendPositions(table []float32, dim, n int) []float32 {
	rows := len(table) / dim
	out := make([]float32, n*dim)
	for r := range n {
		copy(out[r*dim:(r+1)*dim], table[(r%rows)*dim:])
	}
	return out
}

// Pack lays out one example as BERT reads it, seqLen tokens long: a single
// text as [CLS] a [SEP], a pair as [CLS] a [SEP] b [SEP] (b != nil), then
// [PAD]s; segments are 0 up to and including the first [SEP], 1 after it.
// Too long, the longer of the two texts loses its last token until it fits,
// b when they are equally long (BERT's _truncate_seq_pair). (Lesson 07's
// pretrain.Pack cuts A at its start instead, to keep the junction that
// next-sentence prediction looks at.)
func Pack(a, b []int32, seqLen int) (tokens, segments []int32) {
	special := 2
	if b != nil {
		special = 3
	}
	for len(a)+len(b)+special > seqLen {
		if len(a) > len(b) {
			a = a[:len(a)-1]
		} else {
			b = b[:len(b)-1]
		}
	}
	tokens, segments = make([]int32, seqLen), make([]int32, seqLen)
	tokens[0] = clsID
	n := 1 + copy(tokens[1:], a)
	tokens[n] = sepID
	n++
	if b != nil {
		for i := n; i < n+len(b)+1; i++ {
			segments[i] = 1
		}
		n += copy(tokens[n:], b)
		tokens[n] = sepID
	}
	return tokens, segments
}

// Special token ids (tokenize.BERTSpecialTokens; [PAD] is 0).
const clsID, sepID = 2, 3

// pooled is BERT's sentence vector: the encoder's output at [CLS] through the
// pooler, Dense -> tanh (pretrained by next-sentence prediction), [batch, Dim].
func pooled(scope *model.Scope, tokens, segments *graph.Node, c transformer.Config) *graph.Node {
	h := pretrain.Encode(scope, tokens, segments, c) // [batch, seq, Dim]
	batch := h.Shape().Dim(0)
	cls := graph.Reshape(graph.Slice(h, graph.AxisRange(), graph.AxisRange(0, 1)), batch, c.Dim)
	return graph.Tanh(layers.Dense(scope.In("pooler"), cls, true, c.Dim))
}
