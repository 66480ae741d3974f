package tokenize

import (
	"encoding/json"
	"fmt"
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

// parsePostProcessor returns the ids that go before and after the ids of a
// single text.
func parsePostProcessor(raw json.RawMessage) (prefix, suffix []int, err error) {
	if isNull(raw) {
		return nil, nil, nil
	}
	typ, err := componentType(raw, "post-processor")
	if err != nil {
		return nil, nil, err
	}
	switch typ {
	case "ByteLevel": // changes only offsets
		return nil, nil, nil
	case "BertProcessing", "RobertaProcessing":
		var c struct {
			Sep [2]json.RawMessage `json:"sep"`
			Cls [2]json.RawMessage `json:"cls"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, nil, err
		}
		var cls, sep int
		if err := json.Unmarshal(c.Cls[1], &cls); err != nil {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: %s: cls needs [token, id]", typ)
		}
		if err := json.Unmarshal(c.Sep[1], &sep); err != nil {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: %s: sep needs [token, id]", typ)
		}
		return []int{cls}, []int{sep}, nil
	case "TemplateProcessing":
		var c struct {
			Single []struct {
				SpecialToken *struct{ ID string } `json:"SpecialToken"`
				Sequence     *struct{ ID string } `json:"Sequence"`
			} `json:"single"`
			SpecialTokens map[string]struct {
				IDs []int `json:"ids"`
			} `json:"special_tokens"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, nil, err
		}
		seen := false
		for _, item := range c.Single {
			switch {
			case item.Sequence != nil:
				if item.Sequence.ID != "A" || seen {
					return nil, nil, fmt.Errorf("tokenize: tokenizer.json: TemplateProcessing's single template must hold the sequence $A once")
				}
				seen = true
			case item.SpecialToken != nil:
				st, ok := c.SpecialTokens[item.SpecialToken.ID]
				if !ok {
					return nil, nil, fmt.Errorf("tokenize: tokenizer.json: TemplateProcessing uses %q, missing from its special_tokens", item.SpecialToken.ID)
				}
				if seen {
					suffix = append(suffix, st.IDs...)
				} else {
					prefix = append(prefix, st.IDs...)
				}
			}
		}
		if !seen {
			return nil, nil, fmt.Errorf("tokenize: tokenizer.json: TemplateProcessing's single template has no $A")
		}
		return prefix, suffix, nil
	case "Sequence":
		var c struct {
			Processors []json.RawMessage `json:"processors"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, nil, err
		}
		for _, r := range c.Processors {
			p, s, err := parsePostProcessor(r)
			if err != nil {
				return nil, nil, err
			}
			prefix, suffix = append(p, prefix...), append(suffix, s...)
		}
		return prefix, suffix, nil
	}
	return nil, nil, unsupported("post-processor", typ, "ByteLevel, BertProcessing, RobertaProcessing, TemplateProcessing, Sequence")
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
