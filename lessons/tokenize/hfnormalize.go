package tokenize

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The normalizers of a tokenizer.json that this lesson implements. A
// normalizer rewrites the text before it is cut into words: BERT's removes
// control characters, lower-cases and strips accents.

func parseNormalizer(raw json.RawMessage) (func(string) string, error) {
	if isNull(raw) {
		return nil, nil
	}
	typ, err := componentType(raw, "normalizer")
	if err != nil {
		return nil, err
	}
	switch typ {
	case "BertNormalizer":
		var c struct {
			CleanText          bool  `json:"clean_text"`
			HandleChineseChars bool  `json:"handle_chinese_chars"`
			StripAccents       *bool `json:"strip_accents"`
			Lowercase          bool  `json:"lowercase"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, err
		}
		strip := c.Lowercase // BERT strips accents when it lower-cases, unless told otherwise
		if c.StripAccents != nil {
			strip = *c.StripAccents
		}
		return func(s string) string { return bertNormalize(s, c.CleanText, c.HandleChineseChars, strip, c.Lowercase) }, nil
	case "Lowercase":
		return lowercase, nil
	case "NFC":
		return norm.NFC.String, nil
	case "NFD":
		return norm.NFD.String, nil
	case "NFKC":
		return norm.NFKC.String, nil
	case "NFKD":
		return norm.NFKD.String, nil
	case "Sequence":
		var c struct {
			Normalizers []json.RawMessage `json:"normalizers"`
		}
		if err := strictJSON(raw, &c); err != nil {
			return nil, err
		}
		var steps []func(string) string
		for _, r := range c.Normalizers {
			f, err := parseNormalizer(r)
			if err != nil {
				return nil, err
			}
			if f != nil {
				steps = append(steps, f)
			}
		}
		return func(s string) string {
			for _, f := range steps {
				s = f(s)
			}
			return s
		}, nil
	}
	return nil, unsupported("normalizer", typ, "BertNormalizer, Lowercase, NFC, NFD, NFKC, NFKD, Sequence")
}

// bertNormalize is BERT's normalizer: drop control characters and make every
// white space a plain space (clean), put spaces around CJK ideographs
// (chinese), remove accents after Unicode decomposition (strip; note that
// this decomposes Hangul syllables into jamo), and lower-case.
//
//	bertNormalize("Héllo\t世界", true, true, true, true) -> "hello  世  界 "
func bertNormalize(s string, clean, chinese, strip, lower bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		i += w
		if clean {
			if r == 0 || r == utf8.RuneError || isBERTControl(r) {
				continue
			}
			if r == '\t' || r == '\n' || r == '\r' || unicode.IsSpace(r) {
				r = ' '
			}
		}
		if chinese && isCJK(r) {
			b.WriteByte(' ')
			b.WriteRune(r)
			b.WriteByte(' ')
			continue
		}
		b.WriteRune(r)
	}
	out := b.String()
	if strip {
		out = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, norm.NFD.String(out))
	}
	if lower {
		out = lowercase(out)
	}
	return out
}

// isBERTControl reports whether BERT's cleaning drops r: Unicode categories
// Cc, Cf, Co, Cs and unassigned code points, except tab, newline and carriage
// return, which count as white space.
func isBERTControl(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) {
		return true
	}
	return !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z) // unassigned (Cn)
}

// isCJK reports whether r is in one of the CJK ideograph blocks that BERT
// splits character by character. Hangul, kana and jamo are not.
func isCJK(r rune) bool {
	return r >= 0x4E00 && r <= 0x9FFF || r >= 0x3400 && r <= 0x4DBF || r >= 0x20000 && r <= 0x2A6DF ||
		r >= 0x2A700 && r <= 0x2B73F || r >= 0x2B740 && r <= 0x2B81F || r >= 0x2B920 && r <= 0x2CEAF ||
		r >= 0xF900 && r <= 0xFAFF || r >= 0x2F800 && r <= 0x2FA1F
}

// lowercase lower-cases character by character, as Rust's char::to_lowercase
// does: like unicode.ToLower, except that İ becomes two characters.
func lowercase(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.Map(unicode.ToLower, s)
	}
	return strings.Map(unicode.ToLower, strings.ReplaceAll(s, "İ", "i\u0307"))
}
