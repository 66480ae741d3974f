package tokenize

import (
	"encoding/json"
	"fmt"
)

// Truncation and padding, the last two steps of a tokenizer.json: a model
// reads a batch as one rectangle of ids, so every text is cut to at most
// max_length ids (truncation) and the shorter rows are filled up with a
// [PAD] id that the attention mask hides (padding). Written from the
// library's utils/truncation.rs, utils/padding.rs and Encoding::truncate and
// ::pad, and checked against it by TestHFBatchParity.
//
//	texts        "How are you?"           "ok"
//	ids          [CLS] how are you ? [SEP]  [CLS] ok [SEP]
//	padded       101 2129 2024 2017 1029 102  101 7929 102 0 0 0
//	mask         1   1    1    1    1    1    1   1    1   0 0 0
//
// Left out: the library's "overflowing" encodings (the windows after the
// first when a text is cut, stride tokens apart). The first window, the one
// encode and encode_batch return, does not depend on the stride.

// Encoding is one row of a batch, as the library's Encoding has it.
type Encoding struct {
	IDs []int
	// TypeIDs say which text of a pair each token belongs to (BERT's
	// segment: 0 for the first, 1 for the second); padding gets pad_type_id.
	TypeIDs []int
	// AttentionMask is 1 for a token, 0 for padding.
	AttentionMask []int
}

// Direction says which end of the ids truncation cuts and padding fills.
type Direction string

const (
	DirectionRight Direction = "Right"
	DirectionLeft  Direction = "Left"
)

// TruncationStrategy says which text of a pair loses ids.
type TruncationStrategy string

const (
	// LongestFirst cuts the longer text of a pair first, down to half of
	// max_length each if both are long.
	LongestFirst TruncationStrategy = "LongestFirst"
	// OnlyFirst and OnlySecond cut only that text, and fail when it is too
	// short to make room (OnlySecond fails on a single text).
	OnlyFirst  TruncationStrategy = "OnlyFirst"
	OnlySecond TruncationStrategy = "OnlySecond"
)

// Truncation is tokenizer.json's "truncation".
type Truncation struct {
	// MaxLength is the most ids in a row, special tokens included.
	MaxLength int
	Strategy  TruncationStrategy
	// Stride is how many ids the library's overflowing windows share; it
	// must be less than MaxLength minus the special tokens.
	Stride    int
	Direction Direction // DirectionRight keeps the start of the text
}

// PaddingStrategy says how long the padded rows are.
type PaddingStrategy string

const (
	BatchLongest PaddingStrategy = "BatchLongest" // as long as the batch's longest row
	Fixed        PaddingStrategy = "Fixed"        // Padding.Length; longer rows stay longer
)

// Padding is tokenizer.json's "padding".
type Padding struct {
	Strategy        PaddingStrategy
	Length          int // for Fixed
	Direction       Direction
	PadToMultipleOf int // 0 or 1: any length
	PadID           int
	PadTypeID       int
	PadToken        string
}

// maxRowLength bounds max_length, a Fixed length and pad_to_multiple_of, so
// that a corrupt file gives an error rather than rows of a billion ids.
const maxRowLength = 1 << 20

func parseTruncation(raw json.RawMessage) (*Truncation, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		MaxLength *int   `json:"max_length"`
		Strategy  string `json:"strategy"`
		Stride    int    `json:"stride"`
		Direction string `json:"direction"`
	}
	if err := strictJSON(raw, &c); err != nil {
		return nil, fmt.Errorf("%w (in the truncation)", err)
	}
	if c.MaxLength == nil || *c.MaxLength < 0 || *c.MaxLength > maxRowLength || c.Stride < 0 {
		return nil, fmt.Errorf("tokenize: tokenizer.json: truncation needs a max_length between 0 and %d and a stride >= 0", maxRowLength)
	}
	tr := &Truncation{MaxLength: *c.MaxLength, Strategy: TruncationStrategy(c.Strategy), Stride: c.Stride, Direction: Direction(c.Direction)}
	if tr.Strategy == "" {
		tr.Strategy = LongestFirst
	}
	if tr.Direction == "" { // files older than the left direction have none
		tr.Direction = DirectionRight
	}
	return tr, tr.check()
}

func (tr *Truncation) check() error {
	switch {
	case tr.Strategy != LongestFirst && tr.Strategy != OnlyFirst && tr.Strategy != OnlySecond:
		return unsupported("truncation strategy", string(tr.Strategy), "LongestFirst, OnlyFirst, OnlySecond")
	case tr.Direction != DirectionRight && tr.Direction != DirectionLeft:
		return unsupported("truncation direction", string(tr.Direction), "Right, Left")
	}
	return nil
}

func parsePadding(raw json.RawMessage) (*Padding, error) {
	if isNull(raw) {
		return nil, nil
	}
	var c struct {
		Strategy        json.RawMessage `json:"strategy"`
		Direction       string          `json:"direction"`
		PadToMultipleOf *int            `json:"pad_to_multiple_of"`
		PadID           int             `json:"pad_id"`
		PadTypeID       int             `json:"pad_type_id"`
		PadToken        string          `json:"pad_token"`
	}
	if err := strictJSON(raw, &c); err != nil {
		return nil, fmt.Errorf("%w (in the padding)", err)
	}
	p := &Padding{Direction: Direction(c.Direction), PadID: c.PadID, PadTypeID: c.PadTypeID, PadToken: c.PadToken}
	if c.PadToMultipleOf != nil {
		p.PadToMultipleOf = *c.PadToMultipleOf
	}
	// The strategy is "BatchLongest" or {"Fixed": n}.
	var name string
	var fixed struct {
		Fixed *int `json:"Fixed"`
	}
	switch {
	case json.Unmarshal(c.Strategy, &name) == nil && name == string(BatchLongest):
		p.Strategy = BatchLongest
	case json.Unmarshal(c.Strategy, &fixed) == nil && fixed.Fixed != nil:
		p.Strategy, p.Length = Fixed, *fixed.Fixed
	default:
		return nil, fmt.Errorf(`tokenize: tokenizer.json: the padding strategy must be "BatchLongest" or {"Fixed": n}, got %s`, c.Strategy)
	}
	return p, p.check()
}

func (p *Padding) check() error {
	switch {
	case p.Strategy != BatchLongest && p.Strategy != Fixed:
		return unsupported("padding strategy", string(p.Strategy), "BatchLongest, Fixed")
	case p.Direction != DirectionRight && p.Direction != DirectionLeft:
		return unsupported("padding direction", string(p.Direction), "Right, Left")
	case p.Length < 0 || p.Length > maxRowLength || p.PadToMultipleOf < 0 || p.PadToMultipleOf > maxRowLength:
		return fmt.Errorf("tokenize: tokenizer.json: padding lengths must be between 0 and %d", maxRowLength)
	case p.PadID < 0 || p.PadTypeID < 0:
		return fmt.Errorf("tokenize: tokenizer.json: pad_id and pad_type_id must be >= 0")
	}
	return nil
}

// checkTruncation refuses what the library accepts but then mishandles: a
// max_length below the special tokens' count (the library's unsigned
// subtraction wraps around and nothing is ever cut), and a stride that is
// not less than what is left for the text (the library panics on the first
// long text).
func (t *HFTokenizer) checkTruncation(tr *Truncation) error {
	if tr == nil {
		return nil
	}
	added := t.post.added(false)
	if tr.MaxLength < added {
		return fmt.Errorf("tokenize: truncation max_length %d leaves no room for the %d special tokens the post-processor adds", tr.MaxLength, added)
	}
	if tr.Stride > 0 && tr.Stride >= tr.MaxLength-added {
		return fmt.Errorf("tokenize: truncation stride %d must be less than max_length %d minus the %d special tokens", tr.Stride, tr.MaxLength, added)
	}
	return nil
}

// Truncation returns a copy of the tokenizer's truncation, nil if none.
func (t *HFTokenizer) Truncation() *Truncation {
	if t.trunc == nil {
		return nil
	}
	tr := *t.trunc
	return &tr
}

// Padding returns a copy of the tokenizer's padding, nil if none.
func (t *HFTokenizer) Padding() *Padding {
	if t.pad == nil {
		return nil
	}
	p := *t.pad
	return &p
}

// WithTruncation returns a tokenizer that shares t's vocabulary and parts
// but truncates as tr says (nil: not at all), like the library's
// enable_truncation / no_truncation. sentence-transformers, for one,
// replaces the file's max_length by its own max_seq_length.
func (t *HFTokenizer) WithTruncation(tr *Truncation) (*HFTokenizer, error) {
	c := *t
	c.trunc = nil
	if tr != nil {
		own := *tr
		if err := own.check(); err != nil {
			return nil, err
		}
		if own.MaxLength < 0 || own.MaxLength > maxRowLength || own.Stride < 0 {
			return nil, fmt.Errorf("tokenize: truncation needs a max_length between 0 and %d and a stride >= 0", maxRowLength)
		}
		if err := t.checkTruncation(&own); err != nil {
			return nil, err
		}
		c.trunc = &own
	}
	return &c, nil
}

// WithPadding returns a tokenizer that shares t's vocabulary and parts but
// pads as p says (nil: not at all), like enable_padding / no_padding.
func (t *HFTokenizer) WithPadding(p *Padding) (*HFTokenizer, error) {
	c := *t
	c.pad = nil
	if p != nil {
		own := *p
		if err := own.check(); err != nil {
			return nil, err
		}
		c.pad = &own
	}
	return &c, nil
}

// EncodeBatch encodes each text as Encode does, then pads the rows as the
// tokenizer's padding says, like the library's encode_batch. The one error
// is the library's: an only_second truncation of a text that is too long.
func (t *HFTokenizer) EncodeBatch(texts []string) ([]Encoding, error) {
	out := make([]Encoding, len(texts))
	for i, text := range texts {
		seqs := [][]int{t.encode(text, nil)}
		if err := t.truncate(seqs, true); err != nil {
			return nil, fmt.Errorf("%w (text %d, %.40q)", err, i, text)
		}
		out[i] = t.post.join(t.post.single, seqs)
	}
	t.pad.apply(out)
	return out, nil
}

// EncodePairs encodes each pair of texts (a question and a passage, say)
// into one row, with the post-processor's pair template ([CLS] A [SEP] B
// [SEP] for BERT, type ids 0 then 1), truncates and pads like the
// library's encode_batch of pairs.
func (t *HFTokenizer) EncodePairs(pairs [][2]string) ([]Encoding, error) {
	if t.trunc != nil && t.trunc.MaxLength < t.post.added(true) {
		return nil, fmt.Errorf("tokenize: truncation max_length %d leaves no room for the %d special tokens of a pair", t.trunc.MaxLength, t.post.added(true))
	}
	out := make([]Encoding, len(pairs))
	for i, p := range pairs {
		seqs := [][]int{t.encode(p[0], nil), t.encode(p[1], nil)}
		if err := t.truncate(seqs, true); err != nil {
			return nil, fmt.Errorf("%w (pair %d, %.40q)", err, i, p[0])
		}
		out[i] = t.post.join(t.post.pair, seqs)
	}
	t.pad.apply(out)
	return out, nil
}

// truncate cuts the ids of one text or a pair (seqs) so that, with the
// special tokens when special, they hold at most MaxLength ids: the
// library's truncate_encodings. Nothing happens without a truncation.
func (t *HFTokenizer) truncate(seqs [][]int, special bool) error {
	tr := t.trunc
	if tr == nil {
		return nil
	}
	limit := tr.MaxLength
	if special {
		limit -= t.post.added(len(seqs) == 2)
	}
	if limit == 0 { // the library empties every text
		for i := range seqs {
			seqs[i] = seqs[i][:0]
		}
		return nil
	}
	total := 0
	for _, s := range seqs {
		total += len(s)
	}
	if total <= limit {
		return nil
	}
	switch tr.Strategy {
	case LongestFirst:
		if len(seqs) == 1 {
			return tr.cut(seqs, 0, limit)
		}
		// Keep the shorter text whole if the longer one can make room;
		// otherwise half of limit each (the odd id to the longer).
		n1, n2 := len(seqs[0]), len(seqs[1])
		swap := n1 > n2
		if swap {
			n1, n2 = n2, n1
		}
		if n1 > limit {
			n2 = n1
		} else {
			n2 = max(n1, limit-n1)
		}
		if n1+n2 > limit {
			n1 = limit / 2
			n2 = n1 + limit%2
		}
		if swap {
			n1, n2 = n2, n1
		}
		if err := tr.cut(seqs, 0, n1); err != nil {
			return err
		}
		return tr.cut(seqs, 1, n2)
	default: // OnlyFirst, OnlySecond
		i := 0
		if tr.Strategy == OnlySecond {
			if len(seqs) < 2 {
				return fmt.Errorf("tokenize: truncation only_second needs a pair of texts, and this single text has %d ids, more than %d", total, limit)
			}
			i = 1
		}
		remove := total - limit
		if len(seqs[i]) <= remove {
			return fmt.Errorf("tokenize: truncation %s: text %d has %d ids, too few to remove the %d that do not fit in max_length", tr.Strategy, i+1, len(seqs[i]), remove)
		}
		return tr.cut(seqs, i, len(seqs[i])-remove)
	}
}

// cut keeps n ids of seqs[i]: the first n for DirectionRight, the last n
// for DirectionLeft (Encoding::truncate's first window).
func (tr *Truncation) cut(seqs [][]int, i, n int) error {
	ids := seqs[i]
	if n >= len(ids) {
		return nil
	}
	if tr.Stride > 0 && tr.Stride >= n && n > 0 { // the library panics here
		return fmt.Errorf("tokenize: truncation stride %d must be less than the %d ids a text is cut to", tr.Stride, n)
	}
	if tr.Direction == DirectionLeft {
		seqs[i] = ids[len(ids)-n:]
	} else {
		seqs[i] = ids[:n]
	}
	return nil
}

// ids joins the ids of the texts with the special tokens of the template
// pieces; it returns seqs[0] itself when the pieces add nothing.
func (tm template) ids(pieces []piece, seqs [][]int) []int {
	if len(pieces) == 1 && pieces[0].seq == 0 {
		return seqs[0]
	}
	n := tm.added(len(seqs) == 2)
	for _, s := range seqs {
		n += len(s)
	}
	out := make([]int, 0, n)
	for _, p := range pieces {
		if p.seq < 0 {
			out = append(out, p.ids...)
		} else {
			out = append(out, seqs[p.seq]...)
		}
	}
	return out
}

// join is ids with the type ids and the attention mask.
func (tm template) join(pieces []piece, seqs [][]int) Encoding {
	e := Encoding{IDs: tm.ids(pieces, seqs)}
	e.TypeIDs = make([]int, 0, len(e.IDs))
	for _, p := range pieces {
		n := len(p.ids)
		if p.seq >= 0 {
			n = len(seqs[p.seq])
		}
		for range n {
			e.TypeIDs = append(e.TypeIDs, p.typeID)
		}
	}
	e.AttentionMask = make([]int, len(e.IDs))
	for i := range e.AttentionMask {
		e.AttentionMask[i] = 1
	}
	return e
}

// apply pads every row to the batch's length (pad_encodings): the longest
// row or the fixed length, rounded up to a multiple of PadToMultipleOf.
// A nil padding does nothing.
func (p *Padding) apply(rows []Encoding) {
	if p == nil || len(rows) == 0 {
		return
	}
	n := p.Length
	if p.Strategy == BatchLongest {
		n = 0
		for _, r := range rows {
			n = max(n, len(r.IDs))
		}
	}
	if m := p.PadToMultipleOf; m > 0 && n%m > 0 {
		n += m - n%m
	}
	for i := range rows {
		rows[i] = p.padRow(rows[i], n)
	}
}

// padRow fills one row up to n ids (Encoding::pad); a longer row is kept.
func (p *Padding) padRow(r Encoding, n int) Encoding {
	k := n - len(r.IDs)
	if k <= 0 {
		return r
	}
	fill := func(row []int, v int) []int {
		pad := make([]int, k)
		for i := range pad {
			pad[i] = v
		}
		if p.Direction == DirectionLeft {
			return append(pad, row...)
		}
		return append(row, pad...)
	}
	return Encoding{IDs: fill(r.IDs, p.PadID), TypeIDs: fill(r.TypeIDs, p.PadTypeID), AttentionMask: fill(r.AttentionMask, 0)}
}
