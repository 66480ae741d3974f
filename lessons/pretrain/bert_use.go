package pretrain

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strings"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// bertFile holds what LoadBERT needs besides the weights and the
// tokenizer (tokenizer.json, lesson 02's format).
type bertFile struct {
	Config         transformer.Config
	MaxPredictions int
	Eval           BERTEval
}

// Save writes the weights, the configuration and the tokenizer into dir.
func (b *BERT) Save(dir string) error {
	return mlx.SaveCheckpoint(b.Store, dir,
		mlx.JSONSidecar("bert.json", bertFile{Config: b.Config, MaxPredictions: b.MaxPredictions, Eval: b.Eval}),
		mlx.Sidecar{Name: "tokenizer.json", Write: b.Tok.Save})
}

// LoadBERT reads a model written by Save (the fine-tuning lesson starts here).
func LoadBERT(dir string) (*BERT, error) {
	var f bertFile
	store, err := mlx.LoadCheckpointJSON(dir, "bert.json", &f)
	if err != nil {
		return nil, fmt.Errorf("pretrain.LoadBERT: %w", err)
	}
	t, err := tokenize.Load(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return nil, err
	}
	tok, ok := t.(*tokenize.WordPiece)
	if !ok {
		return nil, fmt.Errorf("pretrain.LoadBERT: %s holds a %T, not a WordPiece tokenizer", dir, t)
	}
	return &BERT{Config: f.Config, MaxPredictions: f.MaxPredictions, Tok: tok, Store: store, Eval: f.Eval}, nil
}

// Blank is the model's answer for one [MASK]: its top guesses, most likely
// first, with their probabilities.
type Blank struct {
	Position int
	Guesses  []string
	Probs    []float64
}

// FillExample is a sentence with blanks, what was hidden there (if known)
// and the model's guesses.
type FillExample struct {
	Text   string   // the sentence, [MASK] where a token is hidden
	Hidden []string // the hidden tokens ("" when unknown)
	Blanks []Blank
}

// FillMasks tokenizes text, which holds "[MASK]" tokens, and asks for the
// k most likely tokens of each blank.
func (b *BERT) FillMasks(backend compute.Backend, text string, k int) (FillExample, error) {
	ids := toInt32(b.Tok.Encode(text))
	blanks, err := b.Fill(backend, ids, k)
	return FillExample{Text: text, Hidden: make([]string, len(blanks)), Blanks: blanks}, err
}

// HeldOutExamples hides 15% of the tokens (at least one, [MASK] only) of n
// reviews of docs chosen at random, and fills them.
func (b *BERT) HeldOutExamples(backend compute.Backend, docs [][]int32, n, k int, seed uint64) ([]FillExample, error) {
	rng := rand.New(rand.NewPCG(seed, 6))
	var out []FillExample
	for range n {
		ids := append([]int32(nil), docs[rng.IntN(len(docs))]...)
		ids = ids[:min(len(ids), b.Config.MaxLen-2)]
		hide := rng.Perm(len(ids))[:min(b.MaxPredictions, max(1, int(math.Round(MaskRate*float64(len(ids))))))]
		sort.Ints(hide)
		ex := FillExample{}
		for _, i := range hide {
			ex.Hidden = append(ex.Hidden, b.Tok.Token(int(ids[i])))
			ids[i] = maskID
		}
		ex.Text = b.Tok.Decode(toInts(ids))
		var err error
		if ex.Blanks, err = b.Fill(backend, ids, k); err != nil {
			return nil, err
		}
		out = append(out, ex)
	}
	return out, nil
}

func toInts(ids []int32) []int {
	out := make([]int, len(ids))
	for i, id := range ids {
		out[i] = int(id)
	}
	return out
}

// Fill reads ids (which hold [MASK] tokens) as one sentence,
// [CLS] ids [SEP], and returns the k most likely tokens for each [MASK]
// (at most MaxPredictions of them).
func (b *BERT) Fill(backend compute.Backend, ids []int32, k int) ([]Blank, error) {
	seqLen := b.Config.MaxLen
	if len(ids)+2 > seqLen {
		return nil, fmt.Errorf("pretrain.Fill: %d tokens, at most %d fit", len(ids), seqLen-2)
	}
	tokens := make([]int32, seqLen) // [CLS] ids [SEP] [PAD]...; one segment
	tokens[0] = clsID
	copy(tokens[1:], ids)
	tokens[len(ids)+1] = sepID
	positions := make([]int32, b.MaxPredictions)
	var blanks []Blank
	for i, t := range tokens {
		if t == maskID && len(blanks) < b.MaxPredictions {
			positions[len(blanks)] = int32(i)
			blanks = append(blanks, Blank{Position: i - 1})
		}
	}
	exec, err := model.NewExec(backend, b.Store, func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		mlm, _ := bertHeads(scope, Encode(scope, inputs[0], inputs[1], b.Config), inputs[2], b.Config)
		return []*graph.Node{graph.Softmax(mlm, -1)} // [1, P, vocab]
	})
	if err != nil {
		return nil, err
	}
	out, err := exec.Exec([]*tensors.Tensor{tensors.FromFlatDataAndDimensions(tokens, 1, seqLen),
		tensors.FromFlatDataAndDimensions(make([]int32, seqLen), 1, seqLen), tensors.FromFlatDataAndDimensions(positions, 1, b.MaxPredictions)})
	if err != nil {
		return nil, fmt.Errorf("pretrain.Fill: %w", err)
	}
	probs := tensors.MustCopyFlatData[float32](out[0])
	v := b.Config.SrcVocab
	for i := range blanks {
		row := probs[i*v : (i+1)*v]
		order := make([]int, v)
		for j := range order {
			order[j] = j
		}
		sort.Slice(order, func(a, c int) bool { return row[order[a]] > row[order[c]] })
		for _, id := range order[:k] {
			blanks[i].Guesses = append(blanks[i].Guesses, b.Tok.Token(id))
			blanks[i].Probs = append(blanks[i].Probs, float64(row[id]))
		}
	}
	return blanks, nil
}

// ShowFills displays each sentence with, for every blank, the hidden
// token and the model's guesses.
func ShowFills(examples []FillExample) {
	var rows [][]string
	for _, ex := range examples {
		for j, bl := range ex.Blanks {
			guesses := make([]string, len(bl.Guesses))
			for g := range bl.Guesses {
				guesses[g] = fmt.Sprintf("%s (%.2f)", bl.Guesses[g], bl.Probs[g])
			}
			sentence := ""
			if j == 0 {
				sentence = ex.Text
			}
			rows = append(rows, []string{sentence, fmt.Sprint(j + 1), ex.Hidden[j], strings.Join(guesses, "  ")})
		}
	}
	show.Table([]string{"sentence", "blank", "hidden", "top guesses (probability)"}, rows)
}

// IsNextProb is the model's probability that b follows a (next-sentence
// prediction on [CLS] a [SEP] b [SEP]).
func (b *BERT) IsNextProb(backend compute.Backend, first, second string) (float64, error) {
	tokens, segments := Pack(Pair{A: toInt32(b.Tok.Encode(first)), B: toInt32(b.Tok.Encode(second))}, b.Config.MaxLen)
	exec, err := model.NewExec(backend, b.Store, func(scope *model.Scope, inputs []*graph.Node) *graph.Node {
		_, nsp := bertHeads(scope, Encode(scope, inputs[0], inputs[1], b.Config), inputs[2], b.Config)
		return graph.Softmax(nsp, -1) // [1, 2]
	})
	if err != nil {
		return 0, err
	}
	out, err := exec.Exec([]*tensors.Tensor{tensors.FromFlatDataAndDimensions(tokens, 1, b.Config.MaxLen),
		tensors.FromFlatDataAndDimensions(segments, 1, b.Config.MaxLen), tensors.FromFlatDataAndDimensions(make([]int32, b.MaxPredictions), 1, b.MaxPredictions)})
	if err != nil {
		return 0, fmt.Errorf("pretrain.IsNextProb: %w", err)
	}
	return float64(tensors.MustCopyFlatData[float32](out[0])[1]), nil
}
