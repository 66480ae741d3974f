package tokenize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Chars splits text into its Unicode characters (runes). A byte that is not
// valid UTF-8 becomes its own one-byte string, so joining the result always
// gives back text.
//
//	Chars("한a") -> ["한" "a"]
func Chars(text string) []string {
	out := make([]string, 0, len(text))
	for i := 0; i < len(text); {
		_, w := utf8.DecodeRuneInString(text[i:])
		out = append(out, text[i:i+w])
		i += w
	}
	return out
}

// Bytes returns the UTF-8 bytes of text as numbers 0-255: what a byte-level
// tokenizer starts from.
//
//	Bytes("한a") -> [237 149 156 97]
func Bytes(text string) []int {
	out := make([]int, len(text))
	for i := 0; i < len(text); i++ {
		out[i] = int(text[i])
	}
	return out
}

// SplitWhitespace splits text at runs of white space and drops the white
// space, the oldest word tokenizer there is.
//
//	SplitWhitespace(" 안녕,  세계! ") -> ["안녕," "세계!"]
func SplitWhitespace(text string) []string {
	return strings.Fields(text)
}

// Words splits text into words the way BERT does before WordPiece: white space
// separates words and is dropped, and every punctuation mark is a word of its
// own.
//
//	Words("안녕, 세계!") -> ["안녕" "," "세계" "!"]
func Words(text string) []string {
	var out []string
	splitBERT(text, func(w string) { out = append(out, w) })
	return out
}

// splitBERT calls emit for each word of text, as Hugging Face's
// BertPreTokenizer splits it: on white space (removed) and around each
// punctuation character (kept, alone).
func splitBERT(text string, emit func(string)) {
	splitBERTAt(text, func(_ int, w string) { emit(w) })
}

// splitBERTAt is splitBERT that also gives where each word starts in text.
func splitBERTAt(text string, emit func(start int, word string)) {
	start := -1 // start of the current word, -1 when none
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			if start >= 0 {
				emit(start, text[start:i])
				start = -1
			}
		case isBERTPunct(r):
			if start >= 0 {
				emit(start, text[start:i])
				start = -1
			}
			emit(i, text[i:i+w])
		default:
			if start < 0 {
				start = i
			}
		}
		i += w
	}
	if start >= 0 {
		emit(start, text[start:])
	}
}

// isBERTPunct reports whether BERT treats r as punctuation: any ASCII
// non-letter, non-digit printable character (so $ + < = > ^ ` | ~ count, as in
// the original BERT code), or a Unicode punctuation character (category P).
func isBERTPunct(r rune) bool {
	if r < 128 {
		return r >= 33 && r <= 47 || r >= 58 && r <= 64 || r >= 91 && r <= 96 || r >= 123 && r <= 126
	}
	return unicode.IsPunct(r)
}
