package tokenize

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// TrainBPE learns a byte-level BPE like GPT-2's: the text is cut into GPT-2
// pre-tokens (SplitGPT2), every pre-token starts as its UTF-8 bytes (ids
// 0-255), and merges are learned until the vocabulary has vocabSize tokens, or
// until no pair of tokens occurs twice. Any text can then be encoded, and
// decoded back exactly.
//
//	tok, _ := TrainBPE("low low low lower lowest", 258)
//	tok.Merges -> ["l" + "o" -> "lo" (5), "lo" + "w" -> "low" (5)]
func TrainBPE(text string, vocabSize int) (*BPE, error) {
	if vocabSize < 256 {
		return nil, fmt.Errorf("tokenize: TrainBPE needs vocabSize >= 256 (the 256 byte values come first), got %d", vocabSize)
	}
	words, _ := countWords(text, SplitGPT2)
	train := make([]trainWord, len(words))
	for i, w := range words {
		syms := make([]int32, len(w.text))
		for j := 0; j < len(w.text); j++ {
			syms[j] = int32(w.text[j])
		}
		train[i] = trainWord{syms, w.count}
	}
	return finishTraining(levelBytes, nil, train, vocabSize-256)
}

// TrainCharBPE learns a character-level BPE: like TrainBPE, but every
// pre-token starts as its characters, and the base vocabulary is [UNK]
// followed by every character of the training text (in code point order).
// Korean text needs about 1,500 base tokens this way where byte-level BPE
// needs 256. A character never seen in training encodes as [UNK], id 0.
func TrainCharBPE(text string, vocabSize int) (*BPE, error) {
	words, alphabet := countWords(text, SplitGPT2)
	if vocabSize <= len(alphabet) {
		return nil, fmt.Errorf("tokenize: the text has %d distinct characters, so TrainCharBPE needs vocabSize > %d "+
			"([UNK] plus one token per character) to learn any merge; got %d", len(alphabet), len(alphabet), vocabSize)
	}
	return finishTraining(levelChars, alphabet, charWords(words, alphabet, false), vocabSize-1-len(alphabet))
}

// TrainWordBPE is BPE as Sennrich, Haddow and Birch introduced it (2016): the
// text is split at white space, each word is its characters followed by the
// end-of-word mark </w>, and numMerges merges are learned (fewer if no pair
// occurs twice). The mark lets "est</w>" at the end of a word differ from
// "est" inside one. Decode gives the words back separated by single spaces.
//
//	TrainWordBPE("low low low low low lower lower newest newest newest newest newest newest widest widest widest", 3)
//	-> "e" + "s" -> "es" (9), "es" + "t" -> "est" (9), "est" + "</w>" -> "est</w>" (9)
func TrainWordBPE(text string, numMerges int) (*BPE, error) {
	if numMerges < 0 {
		return nil, fmt.Errorf("tokenize: TrainWordBPE needs numMerges >= 0, got %d", numMerges)
	}
	words, alphabet := countWords(text, strings.Fields)
	return finishTraining(levelWords, alphabet, charWords(words, alphabet, true), numMerges)
}

// finishTraining learns the merges and builds the tokenizer.
func finishTraining(level string, alphabet []rune, words []trainWord, maxMerges int) (*BPE, error) {
	base := 256
	if level != levelBytes {
		base = 1 + len(alphabet)
		if level == levelWords {
			base++
		}
	}
	learned := learnMerges(words, int32(base), maxMerges, 2)
	pairs := make([][2]int, len(learned))
	counts := make([]int, len(learned))
	for i, m := range learned {
		pairs[i] = [2]int{int(m.left), int(m.right)}
		counts[i] = int(m.count)
	}
	t, err := newBPE(level, alphabet, pairs, counts)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err) // a bug: training makes only valid merges
	}
	return t, nil
}

// wordCount is a distinct word of the training text and how often it occurs.
type wordCount struct {
	text  string
	count int64
}

// countWords splits text into words and counts them, in order of first
// appearance. It also returns the sorted distinct characters (invalid UTF-8
// bytes are left out).
//
//	countWords("b a b", strings.Fields) -> [{b 2} {a 1}], ['a' 'b']
func countWords(text string, split func(string) []string) ([]wordCount, []rune) {
	index := map[string]int{}
	var words []wordCount
	chars := map[rune]bool{}
	for _, w := range split(text) {
		i, ok := index[w]
		if !ok {
			i = len(words)
			index[w] = i
			words = append(words, wordCount{text: w})
			for j := 0; j < len(w); {
				r, n := utf8.DecodeRuneInString(w[j:])
				if r != utf8.RuneError || n > 1 {
					chars[r] = true
				}
				j += n
			}
		}
		words[i].count++
	}
	alphabet := make([]rune, 0, len(chars))
	for r := range chars {
		alphabet = append(alphabet, r)
	}
	slices.Sort(alphabet)
	return words, alphabet
}

// charWords turns words into training words made of character ids (id 1 is
// alphabet[0]; 0 is [UNK]), with the end-of-word id last if eow.
func charWords(words []wordCount, alphabet []rune, eow bool) []trainWord {
	id := make(map[rune]int32, len(alphabet))
	for i, r := range alphabet {
		id[r] = int32(i + 1)
	}
	out := make([]trainWord, len(words))
	for i, w := range words {
		var syms []int32
		for j := 0; j < len(w.text); {
			r, n := utf8.DecodeRuneInString(w.text[j:])
			syms = append(syms, id[r]) // 0 ([UNK]) for an invalid byte
			j += n
		}
		if eow {
			syms = append(syms, int32(len(alphabet)+1))
		}
		out[i] = trainWord{syms, w.count}
	}
	return out
}
