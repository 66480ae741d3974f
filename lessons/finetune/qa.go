package finetune

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/lessons/transformer"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
)

// QAConfig is an extractive question-answering run.
type QAConfig struct {
	SeqLen      int // tokens per window: [CLS] question [SEP] piece of the paragraph [SEP]
	MaxQuestion int // question tokens kept
	Stride      int // context tokens between the starts of two windows
	MaxAnswer   int // longest span considered when decoding, in tokens
	Batch       int
	Steps       int
	Schedule    transformer.Schedule
	WeightDecay float64
	Seed        uint64
}

// check says what is wrong with a configuration Windows cannot cut with.
func (cfg QAConfig) check() error {
	if room := cfg.SeqLen - cfg.MaxQuestion - 3; room < 1 || cfg.Stride < 1 || cfg.Stride > room || cfg.MaxAnswer < 1 {
		return fmt.Errorf("finetune: QAConfig %+v: need 1 <= Stride <= SeqLen-MaxQuestion-3 (paragraph tokens per window) and MaxAnswer >= 1", cfg)
	}
	return nil
}

// Window is one input of the reader: a question and a piece of its
// paragraph, packed as a pair.
type Window struct {
	QA               int // index of the question
	Tokens, Segments []int32
	// Offsets[i] is the byte range of the paragraph that token i stands
	// for; {-1, -1} for the question's tokens and the special tokens.
	Offsets [][2]int
	// CanStart[i]: token i begins a word of the paragraph (WordPiece's "##"
	// pieces continue one), so an answer may start there. CanEnd[i]: token
	// i ends a word, or the next piece begins with a Hangul syllable, so an
	// answer may end there ("dpkg" in "dpkg는", before the particle; not
	// "Fernande" in "Fernandez"). Both false outside the paragraph.
	CanStart, CanEnd []bool
	// Start, End are the answer's first and last token in Tokens, both 0
	// (the [CLS] token) when the answer is not wholly inside this window.
	Start, End int
}

// Windows cuts question qa into the reader's inputs: the question (at most
// MaxQuestion tokens) with the paragraph's tokens SeqLen-MaxQuestion-3 at a
// time, each window starting Stride tokens after the last, until the end
// of the paragraph is covered (BERT's "doc_stride"; Stride must be at
// least 1 and at most the window's paragraph tokens, see TrainReader's
// error). tok is the BERT's tokenizer; index is stored in each window.
func Windows(tok *tokenize.WordPiece, qa QA, index int, cfg QAConfig) []Window {
	q := toInt32(tok.Encode(qa.Question))
	q = q[:min(len(q), cfg.MaxQuestion)]
	enc, offsets := tok.EncodeOffsets(qa.Context)
	room := cfg.SeqLen - len(q) - 3
	answerEnd := qa.Start + len(qa.Answer)
	var out []Window
	for from := 0; ; from += cfg.Stride {
		to := min(from+room, len(enc))
		piece := make([]int32, to-from)
		for i := range piece {
			piece[i] = int32(enc[from+i])
		}
		w := Window{QA: index, Offsets: make([][2]int, cfg.SeqLen), CanStart: make([]bool, cfg.SeqLen), CanEnd: make([]bool, cfg.SeqLen)}
		w.Tokens, w.Segments = Pack(q, piece, cfg.SeqLen)
		first := len(q) + 2 // where the paragraph's tokens begin
		for i := range w.Offsets {
			w.Offsets[i] = [2]int{-1, -1}
		}
		start, end := -1, -1
		for i := from; i < to; i++ {
			w.Offsets[first+i-from] = offsets[i]
			w.CanStart[first+i-from] = !isPiece(tok, enc[i])
			w.CanEnd[first+i-from] = i+1 == len(enc) || canEndBefore(tok, enc[i+1])
			if start < 0 && offsets[i][1] > qa.Start {
				start = first + i - from
			}
			if offsets[i][0] < answerEnd {
				end = first + i - from
			}
		}
		if start >= 0 && end >= start && offsets[from][0] <= qa.Start && (to == len(enc) || offsets[to][0] >= answerEnd) {
			w.Start, w.End = start, end
		}
		out = append(out, w)
		if to == len(enc) {
			return out
		}
	}
}

// isPiece reports whether token id continues a word ("##" in WordPiece).
func isPiece(tok *tokenize.WordPiece, id int) bool { return strings.HasPrefix(tok.Token(id), "##") }

// canEndBefore reports whether an answer may end just before token id:
// id starts a word, or continues one with a Hangul syllable (a particle or
// an ending).
func canEndBefore(tok *tokenize.WordPiece, id int) bool {
	rest, ok := strings.CutPrefix(tok.Token(id), "##")
	if !ok {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.Is(unicode.Hangul, r)
}

// DecodeSpan is the reader's rule for its answer: the span (i, j) with
// i <= j < i+maxLen, where an answer may start at i (canStart) and end at
// j (canEnd), that maximizes start[i] + end[j] (the logits of "the answer
// starts at i" and "ends at j"). ok is false when there is no such span.
//
//	start [0 5 1 0], end [0 1 2 6], all allowed, maxLen 2 -> (1, 2): 5+2 beats 1+6, and 5+6 is too long
func DecodeSpan(start, end []float32, canStart, canEnd []bool, maxLen int) (i, j int, score float32, ok bool) {
	for a := range start {
		if !canStart[a] {
			continue
		}
		for b := a; b < min(len(end), a+maxLen); b++ {
			if canEnd[b] && (!ok || start[a]+end[b] > score) {
				i, j, score, ok = a, b, start[a]+end[b], true
			}
		}
	}
	return i, j, score, ok
}

// spanLogits is the reader's head: every position's vector through one
// Dense layer to two logits, "the answer starts here" and "ends here",
// each [batch, seq].
func spanLogits(scope *model.Scope, tokens, segments *graph.Node, c transformer.Config) (start, end *graph.Node) {
	h := pretrain.Encode(scope, tokens, segments, c)     // [batch, seq, Dim]
	logits := layers.Dense(scope.In("span"), h, true, 2) // [batch, seq, 2]
	batch, seq := h.Shape().Dim(0), h.Shape().Dim(1)
	start = graph.Reshape(graph.Slice(logits, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(0, 1)), batch, seq)
	end = graph.Reshape(graph.Slice(logits, graph.AxisRange(), graph.AxisRange(), graph.AxisRange(1, 2)), batch, seq)
	return start, end
}

// Reader is a fine-tuned extractive question-answering model.
type Reader struct {
	Start   Start
	Config  QAConfig
	Store   *model.Store
	History *mlx.History

	exec        *model.Exec // the reading graph, compiled for execBackend (see executor)
	execBackend compute.Backend
}

func windowBatch(windows []Window, seqLen int) train.Batch {
	var tokens, segments, starts, ends []int32
	for _, w := range windows {
		tokens, segments = append(tokens, w.Tokens...), append(segments, w.Segments...)
		starts, ends = append(starts, int32(w.Start)), append(ends, int32(w.End))
	}
	n := len(windows)
	return train.Batch{
		Inputs: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(tokens, n, seqLen), tensors.FromFlatDataAndDimensions(segments, n, seqLen)},
		Labels: []*tensors.Tensor{tensors.FromFlatDataAndDimensions(starts, n, 1), tensors.FromFlatDataAndDimensions(ends, n, 1)}}
}

// spanLoss is the mean of the cross-entropies of the start and end
// positions (BERT's SQuAD loss).
func spanLoss(labels, predictions []*graph.Node) *graph.Node {
	start := loss.SparseCategoricalCrossEntropyLogits(labels[:1], predictions[:1])
	end := loss.SparseCategoricalCrossEntropyLogits(labels[1:], predictions[1:])
	return graph.DivScalar(graph.Add(start, end), 2)
}

// TrainReader fine-tunes a reader from start on the windows of the
// training questions.
func TrainReader(backend compute.Backend, start Start, questions []QA, cfg QAConfig) (*Reader, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	var windows []Window
	for i, qa := range questions {
		windows = append(windows, Windows(start.BERT.Tok, qa, i, cfg)...)
	}
	if len(windows) < cfg.Batch {
		return nil, fmt.Errorf("finetune.TrainReader: %d windows, fewer than one batch of %d", len(windows), cfg.Batch)
	}
	store, err := start.store(cfg.Seed, cfg.SeqLen)
	if err != nil {
		return nil, err
	}
	r := &Reader{Start: start, Config: cfg, Store: store}
	mc := start.config(cfg.SeqLen)
	modelFn := func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		cfg.Schedule.Apply(scope, inputs[0].Graph())
		s, e := spanLogits(scope, inputs[0], inputs[1], mc)
		start.freeze(store)
		return []*graph.Node{s, e}
	}
	trainer := train.NewTrainer(backend, store, modelFn, spanLoss, pretrain.AdamW{Beta2: 0.999, Decay: cfg.WeightDecay, Clip: 1}, nil, nil)
	ds := &epochs[Window]{name: "question windows", items: windows, batch: cfg.Batch, seed: cfg.Seed,
		layout: func(w []Window) train.Batch { return windowBatch(w, cfg.SeqLen) }}
	r.History, err = mlx.Fit(train.NewLoop(trainer), ds, cfg.Steps, 50)
	return r, err
}

// Answer is the reader's answer to one question.
type Answer struct {
	Text       string
	Start, End int // byte range in the paragraph; -1 when no answer
	Score      float32
}

// Answer reads every window of each question and keeps the best-scoring
// span (DecodeSpan) over all of them.
func (r *Reader) Answer(backend compute.Backend, questions []QA) ([]Answer, error) {
	exec, err := r.executor(backend)
	if err != nil {
		return nil, err
	}
	answers := make([]Answer, len(questions))
	for i := range answers {
		answers[i] = Answer{Start: -1, End: -1}
	}
	var windows []Window
	for i, qa := range questions {
		windows = append(windows, Windows(r.Start.BERT.Tok, qa, i, r.Config)...)
	}
	const size = 64
	seq := r.Config.SeqLen
	for from := 0; from < len(windows); from += size {
		part := windows[from:min(from+size, len(windows))]
		padded := append(append([]Window(nil), part...), make([]Window, size-len(part))...)
		for k := len(part); k < size; k++ {
			padded[k] = Window{Tokens: make([]int32, seq), Segments: make([]int32, seq), CanStart: make([]bool, seq), CanEnd: make([]bool, seq)}
		}
		out, err := exec.Exec(windowBatch(padded, seq).Inputs)
		if err != nil {
			return nil, fmt.Errorf("finetune.Answer: %w", err)
		}
		starts, ends := tensors.MustCopyFlatData[float32](out[0]), tensors.MustCopyFlatData[float32](out[1])
		for k, w := range part {
			i, j, score, ok := DecodeSpan(starts[k*seq:(k+1)*seq], ends[k*seq:(k+1)*seq], w.CanStart, w.CanEnd, r.Config.MaxAnswer)
			a := &answers[w.QA]
			if ok && (a.Start < 0 || score > a.Score) {
				ctx := questions[w.QA].Context
				*a = Answer{Start: w.Offsets[i][0], End: w.Offsets[j][1], Score: score}
				a.Text = ctx[a.Start:a.End]
			}
		}
	}
	return answers, nil
}

// executor returns the reader's graph compiled for backend, made on the
// first call and kept: compiling takes about a second on the CPU, longer
// than reading a few questions, and lesson 15 reads question after
// question.
func (r *Reader) executor(backend compute.Backend) (*model.Exec, error) {
	if r.exec != nil && r.execBackend == backend {
		return r.exec, nil
	}
	mc := r.Start.config(r.Config.SeqLen)
	exec, err := model.NewExec(backend, r.Store, func(scope *model.Scope, inputs []*graph.Node) []*graph.Node {
		s, e := spanLogits(scope, inputs[0], inputs[1], mc)
		return []*graph.Node{s, e}
	})
	if err != nil {
		return nil, err
	}
	r.exec, r.execBackend = exec, backend
	return exec, nil
}

// QAScores are the mean exact match, F1 and character F1 (in [0, 1]) of
// answers against the questions' gold answers.
type QAScores struct{ EM, F1, CharF1 float64 }

// Score averages ExactMatch, F1 and CharF1 over the questions.
func Score(questions []QA, predictions []string) QAScores {
	var s QAScores
	for i, qa := range questions {
		s.EM += ExactMatch(predictions[i], qa.Answer)
		s.F1 += F1(predictions[i], qa.Answer)
		s.CharF1 += CharF1(predictions[i], qa.Answer)
	}
	n := float64(len(questions))
	return QAScores{s.EM / n, s.F1 / n, s.CharF1 / n}
}
