package retrieval

import (
	"fmt"
	"maps"
	"math/bits"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

// The course's own sentence encoder is lesson 07's BERT (1 layer, 128 wide,
// a 3,300-token WordPiece vocabulary learned from Korean reviews and the
// Korean FAQ) read the way all-MiniLM-L6-v2 is read: the mean of its output
// vectors over the real tokens, scaled to length 1. As pretrained, nothing
// asked it to put texts that mean the same close together (masked-LM and
// next-sentence prediction never compare two texts' vectors);
// contrastive.go trains it to.
//
// Lesson 07 pretrained it on 32-token sequences, so it has 32 position
// vectors and reads at most 30 tokens between [CLS] and [SEP]. A longer
// text is cut (Truncate): an FAQ passage is then its title and its first
// few words. ChunkMean instead embeds every 30-token piece and averages
// the pieces' vectors, so the whole passage counts. Measured with the
// trained encoder on this lesson's questions, cutting wins in Korean
// (recall@5 0.55 against 0.50, MRR 0.42 against 0.41: the FAQ's titles are
// questions, and averaging drowns them in the body) and averaging in
// English (0.28 against 0.23, where the encoder barely knows the
// language), so Truncate is the default.
//
// The encoder is small and fast: on 2 cores (XLA's CPU backend,
// BenchmarkEncoder) it embeds about 10,000 KorSTS sentences a second, and
// 64 questions at 7,300 a second, where MiniLM manages 300.

// LongText is what Encoder.Embed does with a text longer than MaxLen−2
// tokens.
type LongText int

const (
	// Truncate keeps the first MaxLen−2 tokens.
	Truncate LongText = iota
	// ChunkMean cuts the text into pieces of MaxLen−2 tokens, embeds each,
	// and returns the mean of the pieces' vectors, scaled to length 1.
	ChunkMean
)

func (l LongText) String() string {
	return map[LongText]string{Truncate: "truncate", ChunkMean: "mean of chunks"}[l]
}

// Encoder is lesson 07's BERT encoder used as an Embedder.
type Encoder struct {
	Config transformer.Config // lesson 07's: MaxLen is the longest sequence, [CLS] and [SEP] included
	Tok    *tokenize.WordPiece
	// Store holds the encoder's weights under /encoder/ (a copy of the
	// BERT's: training one does not change the other), and after training
	// the optimizer's state.
	Store *model.Store
	// Long is what Embed does with a text too long for MaxLen (Truncate
	// unless changed).
	Long LongText
	// BatchSize is the most sequences one forward pass embeds (256).
	BatchSize int
	// Trained is the contrastive run that trained it (TrainContrastive);
	// nil while it is lesson 07's encoder as pretrained.
	Trained *ContrastiveConfig

	backend compute.Backend
	exec    *model.Exec
}

// encoderSeqBucket: a batch is padded to a multiple of this many tokens (at
// most MaxLen), so that four compiled graphs serve every length.
const encoderSeqBucket = 8

// NewEncoder makes a sentence encoder of lesson 07's BERT (from
// pretrain.LoadOrTrainBERT), with a copy of its encoder's weights (the
// masked-LM and next-sentence heads are left behind).
func NewEncoder(backend compute.Backend, b *pretrain.BERT) (*Encoder, error) {
	store, err := copyEncoderWeights(b.Store)
	if err != nil {
		return nil, err
	}
	return newEncoder(backend, b.Config, b.Tok, store)
}

func newEncoder(backend compute.Backend, c transformer.Config, tok *tokenize.WordPiece, store *model.Store) (*Encoder, error) {
	e := &Encoder{Config: c, Tok: tok, Store: store, BatchSize: 256, backend: backend}
	var err error
	e.exec, err = model.NewExec(backend, store, e.Sentence)
	if err != nil {
		return nil, fmt.Errorf("retrieval: compiling the encoder: %w", err)
	}
	e.exec.SetMaxCache(64) // one graph per (rows, length): 9 row counts, 4 lengths
	return e, nil
}

// copyEncoderWeights copies every variable under /encoder/ of a BERT's
// store, whether the model has already read it from the checkpoint or the
// checkpoint's loader still holds it. The values are cloned: training
// donates its variables' buffers, and the BERT must stay as it was.
func copyEncoderWeights(from *model.Store) (*model.Store, error) {
	paths := map[string]bool{}
	for v := range from.IterVariables() {
		paths[v.Path()] = true
	}
	if h, ok := from.Loader().(*checkpoint.Handler); ok {
		for name := range h.LoadedVariables() {
			paths[strings.TrimPrefix(name, "var:")] = true
		}
	}
	store := model.NewStore()
	for _, path := range slices.Sorted(maps.Keys(paths)) { // a fixed order: the same run gives the same numbers
		if !strings.HasPrefix(path, "/encoder/") {
			continue
		}
		value, err := from.GetVariable(path).Value()
		if err == nil {
			value, err = value.LocalClone()
		}
		if err == nil {
			_, err = store.CreateVariable(path, value)
		}
		if err != nil {
			return nil, fmt.Errorf("retrieval: copying the BERT's %s: %w", path, err)
		}
	}
	if len(slices.Collect(store.IterVariables())) == 0 {
		return nil, fmt.Errorf("retrieval: the BERT holds no encoder weights; run notebook 07 again (or delete its checkpoint)")
	}
	return store, nil
}

// Sentence is the graph of the sentence vectors: lesson 07's Encode (one
// segment), MeanPooling over the tokens that are not [PAD] ([CLS] and [SEP]
// included, as sentence-transformers pools), then length 1. tokens is
// [batch, seq] int32 (seq at most MaxLen); it returns [batch, Dim].
func (e *Encoder) Sentence(scope *model.Scope, tokens *graph.Node) *graph.Node {
	g := tokens.Graph()
	h := pretrain.Encode(scope, tokens, graph.ZerosLike(tokens), e.Config)                              // [batch, seq, Dim]
	real := graph.ConvertDType(graph.NotEqual(tokens, graph.ScalarZero(g, dtypes.Int32)), dtypes.Int32) // [batch, seq]: [PAD] is 0
	v := graph.L2Normalize(MeanPooling(h, real), -1)
	v.AssertDims(tokens.Shape().Dim(0), e.Config.Dim)
	return v
}

// Special token ids of lesson 02's WordPiece (tokenize.BERTSpecialTokens).
const encoderCLS, encoderSEP = 2, 3

// Tokens is what the encoder reads for a text: [CLS], its first MaxLen−2
// WordPiece tokens, [SEP].
func (e *Encoder) Tokens(text string) []int32 {
	return e.Chunks(text)[0]
}

// Chunks cuts a text's tokens into pieces of MaxLen−2, each read as
// [CLS] piece [SEP]; an empty text is one empty piece, [CLS] [SEP]. The
// cuts fall between tokens, even inside a word (a piece may start with a
// "##" token).
func (e *Encoder) Chunks(text string) [][]int32 {
	ids := e.Tok.Encode(text)
	size := e.Config.MaxLen - 2
	var out [][]int32
	for start := 0; start == 0 || start < len(ids); start += size {
		piece := ids[start:min(start+size, len(ids))]
		seq := make([]int32, 0, len(piece)+2)
		seq = append(seq, encoderCLS)
		for _, id := range piece {
			seq = append(seq, int32(id))
		}
		out = append(out, append(seq, encoderSEP))
	}
	return out
}

// Embed returns the sentence vector of each text (Dim values, length 1).
// A text longer than MaxLen−2 tokens is cut or averaged over its chunks, as
// Long says. The sequences are sorted by length and embedded BatchSize at a
// time, each batch padded to its longest (rounded up to 8 tokens) and its
// rows to a power of two, so that few graphs are compiled.
func (e *Encoder) Embed(texts []string) ([][]float32, error) {
	var seqs [][]int32
	owner := make([]int, 0, len(texts)) // owner[s]: the text sequence s belongs to
	for i, t := range texts {
		chunks := e.Chunks(t)
		if e.Long == Truncate {
			chunks = chunks[:1]
		}
		seqs = append(seqs, chunks...)
		for range chunks {
			owner = append(owner, i)
		}
	}
	vecs, err := e.embedSequences(seqs)
	if err != nil {
		return nil, err
	}
	out := make([][]float32, len(texts))
	for s, v := range vecs { // a text with one sequence takes its vector; several are summed, then scaled
		if out[owner[s]] == nil {
			out[owner[s]] = v
			continue
		}
		for j := range v {
			out[owner[s]][j] += v[j]
		}
	}
	if e.Long == ChunkMean {
		for _, v := range out {
			Normalize(v) // the mean's direction is the sum's
		}
	}
	return out, nil
}

// embedSequences embeds token sequences ([CLS] ... [SEP], at most MaxLen),
// longest first in batches, and returns their vectors in the given order.
func (e *Encoder) embedSequences(seqs [][]int32) ([][]float32, error) {
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return len(seqs[b]) - len(seqs[a]) })
	out := make([][]float32, len(seqs))
	batch := max(e.BatchSize, 1)
	for start := 0; start < len(order); start += batch {
		idx := order[start:min(start+batch, len(order))]
		rows := 1 << bits.Len(uint(len(idx)-1)) // a power of two
		longest := len(seqs[idx[0]])
		seq := min(e.Config.MaxLen, (longest+encoderSeqBucket-1)/encoderSeqBucket*encoderSeqBucket)
		tokens := make([]int32, rows*seq) // [PAD] = 0 wherever no token is copied
		for r, s := range idx {
			copy(tokens[r*seq:], seqs[s])
		}
		res, err := e.exec.Exec(tensors.FromFlatDataAndDimensions(tokens, rows, seq))
		if err != nil {
			return nil, fmt.Errorf("retrieval: the encoder: %w", err)
		}
		flat := tensors.MustCopyFlatData[float32](res[0])
		d := e.Config.Dim
		for r, s := range idx {
			out[s] = flat[r*d : (r+1)*d : (r+1)*d]
		}
	}
	return out, nil
}

// encoderFile holds what LoadEncoder needs besides the weights and the
// tokenizer.
type encoderFile struct {
	Config transformer.Config
	Long   LongText
	Train  *ContrastiveConfig
}

// EncoderCheckpointName is the folder, under mlx.CheckpointDir, of the
// trained encoder: "retrieval-encoder", "-quick" added in a quick run.
func EncoderCheckpointName() string { return mlx.QuickName("retrieval-encoder") }

// Save writes the encoder (weights, configuration, tokenizer) into dir.
func (e *Encoder) Save(dir string) error {
	return mlx.SaveCheckpoint(e.Store, dir,
		mlx.JSONSidecar("encoder.json", encoderFile{Config: e.Config, Long: e.Long, Train: e.Trained}),
		mlx.Sidecar{Name: "tokenizer.json", Write: e.Tok.Save})
}

// LoadEncoder reads an encoder written by Save.
func LoadEncoder(backend compute.Backend, dir string) (*Encoder, error) {
	var f encoderFile
	store, err := mlx.LoadCheckpointJSON(dir, "encoder.json", &f)
	if err != nil {
		return nil, fmt.Errorf("retrieval.LoadEncoder: %w", err)
	}
	t, err := tokenize.Load(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return nil, err
	}
	tok, ok := t.(*tokenize.WordPiece)
	if !ok {
		return nil, fmt.Errorf("retrieval.LoadEncoder: %s holds a %T, not a WordPiece tokenizer", dir, t)
	}
	e, err := newEncoder(backend, f.Config, tok, store)
	if err != nil {
		return nil, err
	}
	e.Long, e.Trained = f.Long, f.Train
	return e, nil
}
