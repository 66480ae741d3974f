package tokenize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// WordPiece is BERT's tokenizer (Wu et al. 2016; Devlin et al. 2019): text is
// cut into words (Words), and each word into the longest vocabulary entries
// that match from its start. Pieces after the first carry the prefix "##", so
// "unaffable" may become "un", "##aff", "##able". A word that cannot be built
// from the vocabulary at all, or that is longer than MaxCharsPerWord
// characters, becomes the single token [UNK]. It is safe for concurrent use.
type WordPiece struct {
	model   wordPieceModel
	vocab   []string
	special specialTokens
}

// BERTSpecialTokens are BERT's special tokens, in the order TrainWordPiece
// gives them ids 0-4: padding, unknown word, start of input ("classify"),
// separator, and the token that masked-language-model training hides words
// behind.
var BERTSpecialTokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// MaxCharsPerWord is the longest word, in characters, that WordPiece tries to
// split (BERT's max_input_chars_per_word); longer words become [UNK].
const MaxCharsPerWord = 100

// NewWordPiece builds a WordPiece tokenizer from a vocabulary (the id of each
// token is its position). The vocabulary must hold [UNK]; those of
// BERTSpecialTokens that it holds are never split.
//
//	NewWordPiece([]string{"[UNK]", "un", "##aff", "##able"}).Encode("unaffable") -> [1 2 3]
func NewWordPiece(vocab []string) (*WordPiece, error) {
	t, err := newWordPiece(vocab)
	if err != nil {
		return nil, fmt.Errorf("tokenize: %w", err)
	}
	return t, nil
}

// newWordPiece is NewWordPiece with errors that have no "tokenize:" prefix.
func newWordPiece(vocab []string) (*WordPiece, error) {
	t := &WordPiece{vocab: append([]string(nil), vocab...)}
	ids := make(map[string]int32, len(vocab))
	for i, tok := range vocab {
		if tok == "" {
			return nil, fmt.Errorf("WordPiece vocabulary entry %d is empty", i)
		}
		if _, dup := ids[tok]; dup {
			return nil, fmt.Errorf("WordPiece vocabulary lists %q twice (ids %d and %d)", tok, ids[tok], i)
		}
		ids[tok] = int32(i)
	}
	unk, ok := ids[UnknownToken]
	if !ok {
		return nil, fmt.Errorf("a WordPiece vocabulary needs the token %s for words it cannot build", UnknownToken)
	}
	for _, s := range BERTSpecialTokens {
		if id, ok := ids[s]; ok {
			t.special.add(s, int(id))
		}
	}
	t.model = newWordPieceModel(ids, unk, "##", MaxCharsPerWord)
	return t, nil
}

// Encode splits text into words (special tokens kept whole) and each word into
// pieces.
func (t *WordPiece) Encode(text string) []int {
	var ids []int
	t.special.split(text, func(piece string, id int) {
		if id >= 0 {
			ids = append(ids, id)
			return
		}
		splitBERT(piece, func(w string) { ids = t.model.tokenize(w, ids) })
	})
	return ids
}

// EncodeOffsets is Encode that also returns, for each token, the byte range
// [start, end) of text it stands for (Hugging Face's offset mapping): a
// piece its own characters (without "##"), [UNK] its whole word, a special
// token itself. Extractive question answering (lesson 08) maps answers
// between characters and tokens with it.
//
//	vocab {un ##aff ##able}: "unaffable !" -> ids [un ##aff ##able !], offsets [0 2] [2 5] [5 9] [10 11]
func (t *WordPiece) EncodeOffsets(text string) (ids []int, offsets [][2]int) {
	pos := 0
	t.special.split(text, func(piece string, id int) {
		base := pos
		pos += len(piece)
		if id >= 0 {
			ids, offsets = append(ids, id), append(offsets, [2]int{base, pos})
			return
		}
		splitBERTAt(piece, func(start int, w string) {
			n := len(ids)
			ids = t.model.tokenize(w, ids)
			at := base + start
			if len(ids) == n+1 && ids[n] == int(t.model.unk) {
				offsets = append(offsets, [2]int{at, at + len(w)})
				return
			}
			for k, id := range ids[n:] {
				size := len(t.vocab[id])
				if k > 0 {
					size -= len(t.model.prefix)
				}
				offsets = append(offsets, [2]int{at, at + size})
				at += size
			}
		})
	})
	return ids, offsets
}

// Decode joins the tokens: a "##" piece is glued to the one before it, other
// tokens are separated by a space. The text comes back with single spaces
// between words and around punctuation.
//
//	tokens ["un" "##aff" "##able" "!"] -> "unaffable !"
func (t *WordPiece) Decode(ids []int) string {
	var b strings.Builder
	for i, id := range ids {
		tok := t.Token(id)
		if tok == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(tok, t.model.prefix); ok && i > 0 {
			tok = rest
		} else if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// Token returns the text of token id ("" if id is out of range).
func (t *WordPiece) Token(id int) string {
	if id < 0 || id >= len(t.vocab) {
		return ""
	}
	return t.vocab[id]
}

// VocabSize is the number of tokens.
func (t *WordPiece) VocabSize() int { return len(t.vocab) }

// ID returns the id of a token, or -1 if the vocabulary does not have it.
func (t *WordPiece) ID(token string) int {
	if id, ok := t.model.ids[token]; ok {
		return int(id)
	}
	return -1
}

// Vocab returns the vocabulary, indexed by id.
func (t *WordPiece) Vocab() []string { return append([]string(nil), t.vocab...) }

// wordPieceModel is the greedy longest-match-first encoder of one word, shared
// by WordPiece and by tokenizer.json files whose model is "WordPiece".
type wordPieceModel struct {
	ids      map[string]int32
	unk      int32
	prefix   string
	maxChars int
	maxLen   int // longest vocabulary entry in bytes: no longer match exists
}

func newWordPieceModel(ids map[string]int32, unk int32, prefix string, maxChars int) wordPieceModel {
	m := wordPieceModel{ids: ids, unk: unk, prefix: prefix, maxChars: maxChars}
	for tok := range ids {
		m.maxLen = max(m.maxLen, len(tok))
	}
	return m
}

// tokenize appends the ids of one word to ids: at each position the longest
// vocabulary entry that matches (with "##" after the first piece); [UNK] for
// the whole word if some position has no match.
//
//	vocab {un ##aff ##able}: "unaffable" -> un ##aff ##able;  "unfit" -> [UNK] (nothing matches "fit")
func (m *wordPieceModel) tokenize(word string, ids []int) []int {
	if utf8.RuneCountInString(word) > m.maxChars {
		return append(ids, int(m.unk))
	}
	n := len(ids)
	var buf []byte
	for start := 0; start < len(word); {
		end := min(len(word), start+m.maxLen)
		for end < len(word) && !utf8.RuneStart(word[end]) {
			end-- // cut only between characters
		}
		found := int32(-1)
		for ; end > start; end-- {
			if end < len(word) && !utf8.RuneStart(word[end]) {
				continue
			}
			var id int32
			var ok bool
			if start == 0 {
				id, ok = m.ids[word[:end]]
			} else {
				buf = append(append(buf[:0], m.prefix...), word[start:end]...)
				id, ok = m.ids[string(buf)]
			}
			if ok {
				found = id
				break
			}
		}
		if found < 0 {
			return append(ids[:n], int(m.unk))
		}
		ids = append(ids, int(found))
		start = end
	}
	return ids
}

// TrainWordPiece learns a WordPiece vocabulary of about vocabSize tokens from
// text, the way the Hugging Face trainer does: BPE on the words of the text,
// where every character after a word's first is written with "##". The
// vocabulary is BERTSpecialTokens, then every character of the text (plain,
// then with "##"), then the merged tokens. It may be smaller than vocabSize
// when no pair occurs twice any more, or when two merges spell the same token.
func TrainWordPiece(text string, vocabSize int) (*WordPiece, error) {
	// Invalid UTF-8 bytes count as U+FFFD, so that every byte of a training
	// word belongs to some character of the alphabet.
	words, alphabet := countWords(strings.ToValidUTF8(text, "\uFFFD"), Words)
	var vocab []string
	id := map[string]int32{}
	intern := func(tok string) int32 {
		i, ok := id[tok]
		if !ok {
			i = int32(len(vocab))
			id[tok] = i
			vocab = append(vocab, tok)
		}
		return i
	}
	for _, s := range BERTSpecialTokens {
		intern(s)
	}
	// Every character of the text, alone and as a "##" piece, so that any
	// text made of known characters can be encoded (the Hugging Face trainer
	// adds a "##" piece only for characters seen inside a word). Code point
	// order keeps the ids independent of map order.
	for _, r := range alphabet {
		intern(string(r))
	}
	for _, r := range alphabet {
		intern("##" + string(r))
	}
	base := len(vocab)
	if vocabSize <= base {
		return nil, fmt.Errorf("tokenize: the text needs %d base tokens (5 special tokens, and each character with and without ##), "+
			"so TrainWordPiece needs vocabSize > %d; got %d", base, base, vocabSize)
	}
	train := make([]trainWord, len(words))
	for i, w := range words {
		var syms []int32
		for j, r := range w.text {
			if j == 0 {
				syms = append(syms, id[string(r)])
			} else {
				syms = append(syms, id["##"+string(r)])
			}
		}
		train[i] = trainWord{syms, w.count}
	}
	// Merged tokens get ids from base on in the trainer; several may spell the
	// same text, so map trainer ids to vocabulary ids as they come.
	toVocab := make([]int32, base, vocabSize)
	for i := range toVocab {
		toVocab[i] = int32(i)
	}
	for _, m := range learnMerges(train, int32(base), vocabSize-base, 2) {
		left, right := vocab[toVocab[m.left]], vocab[toVocab[m.right]]
		toVocab = append(toVocab, intern(left+strings.TrimPrefix(right, "##")))
	}
	return NewWordPiece(vocab)
}
