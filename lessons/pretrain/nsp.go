package pretrain

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
)

// Corpus is BERT's Korean text, tokenized with a WordPiece vocabulary
// trained on it (lesson 02): movie reviews (each review a document), and
// the Korean Debian FAQ of lesson 01 (each page a document, its first 85%
// to train and the rest held out), two corpora as BERT had two (books and
// Wikipedia).
type Corpus struct {
	Tok                 *tokenize.WordPiece
	Reviews, ReviewsVal [][]int32
	FAQ, FAQVal         [][]int32
}

// Sources of a document.
const (
	Review = iota
	FAQ
)

// LoadCorpus reads the first trainLines+valLines reviews of
// nsmc/corpus_ko.txt (those with at least two words) and the 17 pages of
// the Korean Debian FAQ (HTML to text with lesson 01's corpus.HTMLToText),
// trains a WordPiece vocabulary of vocabSize tokens on the first tokLines
// reviews and the FAQ, and tokenizes everything.
func LoadCorpus(tokLines, trainLines, valLines, vocabSize int) (*Corpus, error) {
	b, err := mlx.ReadDataFile("nsmc/corpus_ko.txt")
	if err != nil {
		return nil, err
	}
	lines := strings.SplitN(string(b), "\n", trainLines+valLines+1)
	if len(lines) <= trainLines+valLines {
		return nil, fmt.Errorf("pretrain.LoadCorpus: the corpus has %d reviews, %d asked", len(lines), trainLines+valLines)
	}
	var pages []string
	for _, f := range mlx.DataFiles() {
		if strings.HasPrefix(f, "debian-faq/ko/") {
			html, err := mlx.ReadDataFile(f)
			if err != nil {
				return nil, err
			}
			pages = append(pages, corpus.HTMLToText(html))
		}
	}
	text := strings.Join(lines[:min(tokLines, trainLines)], "\n") + "\n" + strings.Join(pages, "\n")
	tok, err := tokenize.TrainWordPiece(text, vocabSize)
	if err != nil {
		return nil, err
	}
	c := &Corpus{Tok: tok}
	for i, line := range lines[:trainLines+valLines] {
		if len(strings.Fields(line)) < 2 {
			continue // a pair needs a first and a second part
		}
		ids := toInt32(tok.Encode(line))
		if i < trainLines {
			c.Reviews = append(c.Reviews, ids)
		} else {
			c.ReviewsVal = append(c.ReviewsVal, ids)
		}
	}
	for _, p := range pages {
		ids := toInt32(tok.Encode(p))
		cut := len(ids) * 85 / 100
		c.FAQ, c.FAQVal = append(c.FAQ, ids[:cut]), append(c.FAQVal, ids[cut:])
	}
	return c, nil
}

func toInt32(ids []int) []int32 {
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(id)
	}
	return out
}

// Pair is one next-sentence-prediction example: the first part of a
// document (A) and either its true continuation or the last part of a random
// other document (B), with where each came from.
type Pair struct {
	A, B             []int32
	IsNext           bool
	SourceA, SourceB int // Review or FAQ
}

// splitAt picks where to cut a document into two parts: a word boundary
// (a token that does not start with "##") other than the very start.
func (c *Corpus) splitAt(ids []int32, rng *rand.Rand) int {
	var starts []int
	for i := 1; i < len(ids); i++ {
		if !strings.HasPrefix(c.Tok.Token(int(ids[i])), "##") {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 {
		return len(ids) / 2
	}
	return starts[rng.IntN(len(starts))]
}

// NextSentencePair draws an NSP example as BERT does: A is the first part
// of a document (a review or an FAQ page, half the time each); half the
// time B is its true continuation, half the time the last part of a random
// other document of either corpus. docs[Review] and docs[FAQ] are the
// documents to draw from.
func (c *Corpus) NextSentencePair(docs [2][][]int32, rng *rand.Rand) Pair {
	p := Pair{SourceA: rng.IntN(2)}
	d := docs[p.SourceA]
	i := rng.IntN(len(d))
	cut := c.splitAt(d[i], rng)
	p.A, p.B, p.IsNext, p.SourceB = d[i][:cut], d[i][cut:], true, p.SourceA
	if rng.IntN(2) == 0 {
		p.IsNext, p.SourceB = false, rng.IntN(2)
		other := docs[p.SourceB]
		j := rng.IntN(len(other))
		for p.SourceB == p.SourceA && j == i {
			j = rng.IntN(len(other)) // another document
		}
		p.B = other[j][c.splitAt(other[j], rng):]
	}
	return p
}

// Special token ids of tokenize.BERTSpecialTokens.
const (
	padID, unkID, clsID, sepID, maskID = 0, 1, 2, 3, 4
	numSpecial                         = 5
)

// Pack lays a pair out as BERT's input, [CLS] A [SEP] B [SEP] then [PAD]s,
// seqLen tokens in all, with the segment of each token (0 for [CLS] A
// [SEP], 1 for B [SEP]). Too long, A loses tokens from its start and B from
// its end, so the junction between them, where the evidence is, stays.
func Pack(p Pair, seqLen int) (tokens, segments []int32) {
	a, b := p.A, p.B
	for len(a)+len(b)+3 > seqLen {
		if len(a) >= len(b) {
			a = a[1:]
		} else {
			b = b[:len(b)-1]
		}
	}
	tokens = make([]int32, 0, seqLen)
	segments = make([]int32, seqLen)
	tokens = append(append(append(append(append(tokens, clsID), a...), sepID), b...), sepID)
	for i := len(a) + 2; i < len(tokens); i++ {
		segments[i] = 1
	}
	for len(tokens) < seqLen {
		tokens = append(tokens, padID)
	}
	return tokens, segments
}

// Decode writes ids back as text (WordPiece's "##" pieces glued to the
// token before them), leaving out [PAD].
func (c *Corpus) Decode(ids []int32) string {
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		if id != padID {
			out = append(out, int(id))
		}
	}
	return c.Tok.Decode(out)
}
