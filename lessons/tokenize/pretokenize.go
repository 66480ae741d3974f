package tokenize

import (
	"unicode"
	"unicode/utf8"
)

// GPT-2 cuts text into pieces before byte-pair encoding, so that no token
// spans a word and the space or punctuation next to it. OpenAI wrote the rule
// as a regular expression:
//
//	's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
//
// Go's regexp package has no lookahead (?!\S), so this file walks the text by
// hand, trying the alternatives in the same order as the regular expression.

// SplitGPT2 returns the GPT-2 pre-tokens of text. Joining them gives back
// text, byte for byte, even when text is not valid UTF-8 (a stray byte counts
// as a symbol, like punctuation).
//
//	SplitGPT2("I'm here  now!") -> ["I" "'m" " here" " " " now" "!"]
func SplitGPT2(text string) []string {
	var out []string
	for i := 0; i < len(text); {
		n := nextGPT2(text, i)
		out = append(out, text[i:i+n])
		i += n
	}
	return out
}

// Character classes of the pattern: \p{L}, \p{N}, \s and everything else.
const (
	classOther = iota
	classLetter
	classNumber
	classSpace
)

// asciiClass holds the class of each ASCII byte, the common case.
var asciiClass = func() (t [128]uint8) {
	for c := 0; c < 128; c++ {
		t[c] = classOf(rune(c))
	}
	return t
}()

// classOf returns the class of r. White space is Unicode's White_Space
// property, as in \s; unicode.IsSpace has the same set.
func classOf(r rune) uint8 {
	switch {
	case r >= SBase && r < SBase+SCount: // Hangul syllables, the common case in Korean text
		return classLetter
	case unicode.IsLetter(r):
		return classLetter
	case unicode.IsNumber(r):
		return classNumber
	case unicode.IsSpace(r):
		return classSpace
	}
	return classOther
}

// runeAt decodes the character at text[i] and returns its class and width. A
// byte that is not valid UTF-8 is a one-byte symbol of class other.
func runeAt(text string, i int) (class uint8, width int) {
	if c := text[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, w := utf8.DecodeRuneInString(text[i:])
	if r == utf8.RuneError && w == 1 {
		return classOther, 1
	}
	return classOf(r), w
}

// nextGPT2 returns the length in bytes of the pre-token that starts at
// text[i] (i < len(text)).
func nextGPT2(text string, i int) int {
	// 's|'t|'re|'ve|'m|'ll|'d  (lower case only, as in GPT-2)
	if text[i] == '\'' && i+1 < len(text) {
		switch text[i+1] {
		case 's', 't', 'm', 'd':
			return 2
		case 'r', 'v':
			if i+2 < len(text) && text[i+2] == 'e' {
				return 3
			}
		case 'l':
			if i+2 < len(text) && text[i+2] == 'l' {
				return 3
			}
		}
	}
	class, w := runeAt(text, i)
	j := i + w
	// ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: one optional space, then a run.
	if text[i] == ' ' && j < len(text) {
		if c2, w2 := runeAt(text, j); c2 != classSpace {
			class, j = c2, j+w2
		}
	}
	if class != classSpace {
		for j < len(text) {
			c, w := runeAt(text, j)
			if c != class {
				break
			}
			j += w
		}
		return j - i
	}
	// `\s+(?!\S)|\s+`: a run of white space. If something follows it, the
	// lookahead gives back the last space character so that it can start the
	// next word (" now"); a run of one character is kept whole by `\s+`.
	last := i // start of the last space character of the run
	for j < len(text) {
		c, w := runeAt(text, j)
		if c != classSpace {
			break
		}
		last = j
		j += w
	}
	if j < len(text) && last > i {
		return last - i
	}
	return j - i
}
