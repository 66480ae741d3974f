package tokenize

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
)

// The pre-tokenizers, post-processors and decoders of a tokenizer.json that
// this lesson implements (normalizers are in hfnormalize.go, models in
// hfmodels.go), each written from the behaviour of the Hugging Face
// tokenizers library and checked against it by the tests in hf_test.go.

// ---- pre-tokenizers ----

// parsePreTokenizer returns the function that cuts a text into words, and
// whether it is GPT-2's ByteLevel (whose words the model reads as bytes).
func parsePreTokenizer(raw json.RawMessage) (func(string, func(string)), bool, error) {
	if isNull(raw) {
		return nil, false, nil
	}
	typ, err := componentType(raw, "pre-tokenizer")
	if err != nil {
		return nil, false, err
	}
	switch typ {
	case "ByteLevel":
		var c struct {
			AddPrefixSpace bool  `json:"add_prefix_space"`
			UseRegex       *bool `json:"use_regex"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, false, err
		}
		useRegex := c.UseRegex == nil || *c.UseRegex
		return func(s string, emit func(string)) {
			if c.AddPrefixSpace && s != "" && s[0] != ' ' {
				s = " " + s
			}
			if !useRegex {
				if s != "" {
					emit(s)
				}
				return
			}
			for i := 0; i < len(s); {
				n := nextGPT2(s, i)
				emit(s[i : i+n])
				i += n
			}
		}, true, nil
	case "BertPreTokenizer":
		return splitBERT, false, nil
	case "WhitespaceSplit":
		return func(s string, emit func(string)) {
			for _, w := range strings.Fields(s) {
				emit(w)
			}
		}, false, nil
	case "Digits":
		var c struct {
			IndividualDigits bool `json:"individual_digits"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, false, err
		}
		return splitDigits(c.IndividualDigits), false, nil
	case "Sequence":
		var c struct {
			PreTokenizers []json.RawMessage `json:"pretokenizers"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, false, err
		}
		var steps []func(string, func(string))
		byteLevel := false
		for i, r := range c.PreTokenizers {
			f, isByteLevel, err := parsePreTokenizer(r)
			if err != nil {
				return nil, false, err
			}
			// The model reads the words of a ByteLevel split as bytes, so
			// ByteLevel must be the last step: a step after it would see
			// GPT-2's characters (Ġ for a space), which this lesson never
			// writes out. SmolLM2's Sequence[Digits, ByteLevel] fits.
			if isByteLevel && i != len(c.PreTokenizers)-1 {
				return nil, false, unsupported("pre-tokenizer", "ByteLevel before another step of a Sequence", "ByteLevel as the last step")
			}
			byteLevel = byteLevel || isByteLevel
			if f != nil {
				steps = append(steps, f)
			}
		}
		return func(s string, emit func(string)) { chainSplits(steps, s, emit) }, byteLevel, nil
	}
	return nil, false, unsupported("pre-tokenizer", typ, "ByteLevel, BertPreTokenizer, WhitespaceSplit, Digits, Sequence")
}

// splitDigits is the library's Digits pre-tokenizer: it cuts numbers
// (Unicode category N, as Rust's char::is_numeric) out of the text, each
// digit on its own when individual, else whole runs of them.
//
//	individual: "a 123b ½" -> ["a " "1" "2" "3" "b " "½"]
//	runs:       "a 123b ½" -> ["a " "123" "b " "½"]
func splitDigits(individual bool) func(string, func(string)) {
	return func(s string, emit func(string)) {
		start, prevNumber := 0, false
		for i, r := range s {
			number := unicode.IsNumber(r)
			if i > start && (number && (individual || !prevNumber) || !number && prevNumber) {
				emit(s[start:i])
				start = i
			}
			prevNumber = number
		}
		if start < len(s) {
			emit(s[start:])
		}
	}
}

// chainSplits applies each splitter to the pieces of the one before.
func chainSplits(steps []func(string, func(string)), s string, emit func(string)) {
	if len(steps) == 0 {
		emit(s)
		return
	}
	steps[0](s, func(piece string) { chainSplits(steps[1:], piece, emit) })
}

// ---- post-processors ----

// piece is one step of a post-processor's template: a text of the input
// (seq 0 is the first text, $A; seq 1 the second of a pair, $B) or special
// tokens (seq -1), and the type id its tokens get.
type piece struct {
	seq    int
	ids    []int
	typeID int
}

// template is what a post-processor does, written as the library's
// TemplateProcessing writes it: the pieces for a single text and for a pair.
// BERT's is
//
//	single: [CLS]:0 $A:0 [SEP]:0
//	pair:   [CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1
type template struct{ single, pair []piece }

// plainTemplate is what the library does without a post-processor: the ids
// as they are, type id 0 for the first text and 1 for the second.
var plainTemplate = template{
	single: []piece{{seq: 0}},
	pair:   []piece{{seq: 0}, {seq: 1, typeID: 1}},
}

// added is the number of special tokens the template adds (the library's
// PostProcessor::added_tokens), which truncation leaves room for.
func (t template) added(pair bool) int {
	pieces := t.single
	if pair {
		pieces = t.pair
	}
	n := 0
	for _, p := range pieces {
		n += len(p.ids)
	}
	return n
}

// parsePostProcessor reads the post-processor into a template.
func parsePostProcessor(raw json.RawMessage) (template, error) {
	if isNull(raw) {
		return plainTemplate, nil
	}
	typ, err := componentType(raw, "post-processor")
	if err != nil {
		return template{}, err
	}
	switch typ {
	case "ByteLevel": // changes only offsets
		return plainTemplate, nil
	case "BertProcessing", "RobertaProcessing":
		var c struct {
			Sep [2]json.RawMessage `json:"sep"`
			Cls [2]json.RawMessage `json:"cls"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return template{}, err
		}
		var cls, sep int
		if err := json.Unmarshal(c.Cls[1], &cls); err != nil {
			return template{}, fmt.Errorf("tokenize: tokenizer.json: %s: cls needs [token, id]", typ)
		}
		if err := json.Unmarshal(c.Sep[1], &sep); err != nil {
			return template{}, fmt.Errorf("tokenize: tokenizer.json: %s: sep needs [token, id]", typ)
		}
		special := func(id, typeID int) piece { return piece{seq: -1, ids: []int{id}, typeID: typeID} }
		single := []piece{special(cls, 0), {seq: 0}, special(sep, 0)}
		if typ == "BertProcessing" {
			return template{single, append(single, piece{seq: 1, typeID: 1}, special(sep, 1))}, nil
		}
		// RoBERTa: <s> A </s></s> B </s>, every type id 0 (roberta.rs).
		return template{single, append(single, special(sep, 0), piece{seq: 1}, special(sep, 0))}, nil
	case "TemplateProcessing":
		type item struct {
			SpecialToken *struct {
				ID     string `json:"id"`
				TypeID int    `json:"type_id"`
			} `json:"SpecialToken"`
			Sequence *struct {
				ID     string `json:"id"`
				TypeID int    `json:"type_id"`
			} `json:"Sequence"`
		}
		var c struct {
			Single        []item `json:"single"`
			Pair          []item `json:"pair"`
			SpecialTokens map[string]struct {
				IDs []int `json:"ids"`
			} `json:"special_tokens"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return template{}, err
		}
		// read turns one template into pieces, checking that it holds each
		// of the texts in want ("A", or "A" and "B") exactly once.
		read := func(name string, items []item, want ...string) ([]piece, error) {
			var out []piece
			seen := map[string]int{}
			for _, it := range items {
				switch {
				case it.Sequence != nil:
					seen[it.Sequence.ID]++
					seq := slices.Index(want, it.Sequence.ID)
					if seq < 0 || seen[it.Sequence.ID] > 1 {
						break
					}
					out = append(out, piece{seq: seq, typeID: it.Sequence.TypeID})
				case it.SpecialToken != nil:
					st, ok := c.SpecialTokens[it.SpecialToken.ID]
					if !ok {
						return nil, fmt.Errorf("tokenize: tokenizer.json: TemplateProcessing uses %q, missing from its special_tokens", it.SpecialToken.ID)
					}
					out = append(out, piece{seq: -1, ids: st.IDs, typeID: it.SpecialToken.TypeID})
				}
			}
			for _, w := range want {
				if seen[w] != 1 || len(seen) != len(want) {
					return nil, fmt.Errorf("tokenize: tokenizer.json: TemplateProcessing's %s template must hold %s once each", name, "$"+strings.Join(want, " and $"))
				}
			}
			return out, nil
		}
		var t template
		if t.single, err = read("single", c.Single, "A"); err != nil {
			return template{}, err
		}
		if len(c.Pair) == 0 { // no pair template: pairs are joined plainly
			t.pair = plainTemplate.pair
		} else if t.pair, err = read("pair", c.Pair, "A", "B"); err != nil {
			return template{}, err
		}
		return t, nil
	case "Sequence":
		var c struct {
			Processors []json.RawMessage `json:"processors"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return template{}, err
		}
		// The library runs the processors one after the other; past one that
		// adds special tokens, the next sees the pieces of the first one's
		// template and fails (template.rs: todo!()) or wraps them in new
		// tokens. This lesson takes at most one that adds tokens, with any
		// number of ByteLevel ones (which change only offsets).
		t := plainTemplate
		adding := 0
		for _, r := range c.Processors {
			p, err := parsePostProcessor(r)
			if err != nil {
				return template{}, err
			}
			if !reflect.DeepEqual(p, plainTemplate) {
				t = p
				adding++
			}
		}
		if adding > 1 {
			return template{}, unsupported("post-processor", "Sequence with more than one processor that adds tokens", "at most one besides ByteLevel")
		}
		return t, nil
	}
	return template{}, unsupported("post-processor", typ, "ByteLevel, BertProcessing, RobertaProcessing, TemplateProcessing, Sequence")
}

// ---- decoders ----

func parseDecoder(raw json.RawMessage) ([]func([]string) []string, error) {
	if isNull(raw) {
		return nil, nil
	}
	typ, err := componentType(raw, "decoder")
	if err != nil {
		return nil, err
	}
	switch typ {
	case "ByteLevel":
		return []func([]string) []string{decodeByteLevel}, nil
	case "WordPiece":
		c := struct {
			Prefix  string `json:"prefix"`
			Cleanup bool   `json:"cleanup"`
		}{Prefix: "##", Cleanup: true}
		if err := strictJSON(raw, &c); err != nil {
			return nil, err
		}
		return []func([]string) []string{func(toks []string) []string { return decodeWordPiece(toks, c.Prefix, c.Cleanup) }}, nil
	case "BPEDecoder":
		c := struct {
			Suffix string `json:"suffix"`
		}{Suffix: "</w>"}
		if err := strictJSON(raw, &c); err != nil {
			return nil, err
		}
		return []func([]string) []string{func(toks []string) []string {
			out := make([]string, len(toks))
			for i, tok := range toks {
				repl := " "
				if i == len(toks)-1 {
					repl = ""
				}
				out[i] = strings.ReplaceAll(tok, c.Suffix, repl)
			}
			return out
		}}, nil
	case "Sequence":
		var c struct {
			Decoders []json.RawMessage `json:"decoders"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, err
		}
		var out []func([]string) []string
		for _, r := range c.Decoders {
			d, err := parseDecoder(r)
			if err != nil {
				return nil, err
			}
			out = append(out, d...)
		}
		return out, nil
	}
	return nil, unsupported("decoder", typ, "ByteLevel, WordPiece, BPEDecoder, Sequence")
}

// decodeByteLevel turns byte-level tokens back into bytes; a token with a
// character that stands for no byte (a special token, say) is kept as it is.
//
//	["Ġthe", "íķľ"] -> [" the한"]
func decodeByteLevel(toks []string) []string {
	var b strings.Builder
	for _, tok := range toks {
		if s, ok := byteLevelBytes(tok); ok {
			b.WriteString(s)
		} else {
			b.WriteString(tok)
		}
	}
	return []string{b.String()}
}

// decodeWordPiece glues "##" pieces to the token before and puts a space
// before the others; cleanup then removes the space before punctuation and
// English contractions, token by token, as the library does.
//
//	["un", "##aff", "##able", "!"] -> ["un" "aff" "able" "!"]  (joined: "unaffable!")
func decodeWordPiece(toks []string, prefix string, cleanup bool) []string {
	out := make([]string, len(toks))
	for i, tok := range toks {
		if i > 0 {
			if rest, ok := strings.CutPrefix(tok, prefix); ok {
				tok = rest
			} else {
				tok = " " + tok
			}
		}
		if cleanup {
			tok = cleanupWordPiece(tok)
		}
		out[i] = tok
	}
	return out
}

// wordPieceCleanup lists the replacements, applied in this order, that undo
// the spaces BERT's split puts before punctuation and English contractions
// (the library's decoders::wordpiece::cleanup).
var wordPieceCleanup = [][2]string{
	{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"}, {" n't", "n't"},
	{" 'm", "'m"}, {" do not", " don't"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
}

func cleanupWordPiece(tok string) string {
	if strings.IndexByte(tok, ' ') < 0 {
		return tok
	}
	for _, r := range wordPieceCleanup {
		tok = strings.ReplaceAll(tok, r[0], r[1])
	}
	return tok
}
