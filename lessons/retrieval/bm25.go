package retrieval

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/lessons/tokenize"
	"golang.org/x/text/unicode/norm"
)

// Default BM25 parameters: the values Lucene and Elasticsearch use.
const (
	DefaultK1 = 1.2
	DefaultB  = 0.75
)

// Posting is one entry of a term's postings list: a document that contains
// the term, and how many times (tf).
type Posting struct {
	Doc, TF int
}

// Hit is a search result: a document (its index in the collection) and its
// score.
type Hit struct {
	Doc   int
	Score float64
}

// Index is an inverted index over a collection, scored with BM25 (Robertson
// and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond",
// 2009), which scores a document d for a query q as
//
//	score(q, d) = Σ over distinct terms t of q:  IDF(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl))
//
// where tf(t,d) counts t in d, |d| is d's length in terms, avgdl the mean
// length, and IDF is Lucene's form (org.apache.lucene.search.similarities.
// BM25Similarity), which never goes negative:
//
//	IDF(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))
//
// with N documents, df(t) of which contain t. k1 says how fast repeating a
// term stops paying (tf saturates at k1+1); b how much a long document is
// penalized (0: not at all, 1: fully). A term repeated in the query counts
// once (Robertson's k3 = 0). Lucene since 8.0 drops the constant (k1+1),
// which changes every score by the same factor and no ranking; it is kept
// here so that the numbers match the textbook formula.
//
// Deliberately left out: stemming, stop words, fields (title and text are one
// bag of terms), and the compressed postings and document-at-a-time
// evaluation that make Lucene fast on millions of documents; with the FAQ's
// 165 passages a loop over postings is instant.
type Index struct {
	K1, B float64 // DefaultK1 and DefaultB unless changed; read at search time

	tokenizer func(string) []string
	postings  map[string][]Posting // term -> documents that hold it, in document order
	docLen    []int                // terms per document
	avgLen    float64
}

// NewIndex tokenizes every document and builds the inverted index.
//
//	docs ["the cat", "the cat sat"], LowerWords -> postings "cat": [{0 1} {1 1}], "sat": [{1 1}]
func NewIndex(docs []string, tokenizer func(string) []string) *Index {
	ix := &Index{K1: DefaultK1, B: DefaultB, tokenizer: tokenizer,
		postings: map[string][]Posting{}, docLen: make([]int, len(docs))}
	total := 0
	for d, doc := range docs {
		terms := tokenizer(doc)
		ix.docLen[d] = len(terms)
		total += len(terms)
		tf := map[string]int{}
		for _, t := range terms {
			tf[t]++
		}
		for t, n := range tf {
			ix.postings[t] = append(ix.postings[t], Posting{Doc: d, TF: n})
		}
	}
	if len(docs) > 0 {
		ix.avgLen = float64(total) / float64(len(docs))
	}
	return ix
}

// Len is the number of documents N.
func (ix *Index) Len() int { return len(ix.docLen) }

// DocLen is the length of document d in terms (|d|).
func (ix *Index) DocLen(d int) int { return ix.docLen[d] }

// AvgDocLen is the mean document length (avgdl).
func (ix *Index) AvgDocLen() float64 { return ix.avgLen }

// Terms is the number of distinct terms in the index (its vocabulary).
func (ix *Index) Terms() int { return len(ix.postings) }

// Postings returns the postings list of a term (already tokenized), in
// document order; nil if no document holds it. The caller must not modify it.
func (ix *Index) Postings(term string) []Posting { return ix.postings[term] }

// IDF is Lucene's inverse document frequency of a term (see the formula
// above): about ln(N/df) for rare terms, close to 0 (never below) for a
// term in every document, and ln(1 + 2N + 1) for an unseen term.
func (ix *Index) IDF(term string) float64 { return idf(ix.Len(), len(ix.postings[term])) }

func idf(docs, df int) float64 {
	n, d := float64(docs), float64(df)
	return math.Log(1 + (n-d+0.5)/(d+0.5))
}

// termScore is one term's part of a document's score: idf times the
// saturated, length-normalized term frequency.
func (ix *Index) termScore(idf float64, tf, docLen int) float64 {
	return bm25Term(idf, tf, docLen, ix.avgLen, ix.K1, ix.B)
}

func bm25Term(idf float64, tf, docLen int, avgLen, k1, b float64) float64 {
	norm := k1 * (1 - b + b*float64(docLen)/avgLen)
	return idf * float64(tf) * (k1 + 1) / (float64(tf) + norm)
}

// TermCase is one query term in one document, everything BM25 needs to
// score it: how often the term occurs there (TF), in how many of the Docs
// documents it occurs (DF), and the document's length against the average.
type TermCase struct {
	TF, DF, Docs, DocLen int
	AvgLen               float64
}

// TermScore is one term's BM25 score with DefaultK1 and DefaultB:
// IDF(df) · tf·(k1 + 1) / (tf + k1·(1 − b + b·docLen/avgLen)).
func TermScore(c TermCase) float64 {
	return bm25Term(idf(c.Docs, c.DF), c.TF, c.DocLen, c.AvgLen, DefaultK1, DefaultB)
}

// queryTerms tokenizes a query and keeps each term once, in order.
func (ix *Index) queryTerms(query string) []string {
	var terms []string
	seen := map[string]bool{}
	for _, t := range ix.tokenizer(query) {
		if !seen[t] {
			seen[t] = true
			terms = append(terms, t)
		}
	}
	return terms
}

// Search returns the k best documents for a query, best first (ties: lower
// document index first). Only documents that share a term with the query
// are scored, by walking each query term's postings (term at a time).
func (ix *Index) Search(query string, k int) []Hit {
	scores := make([]float64, ix.Len())
	matched := make([]bool, ix.Len())
	for _, t := range ix.queryTerms(query) {
		idf := ix.IDF(t)
		for _, p := range ix.postings[t] {
			scores[p.Doc] += ix.termScore(idf, p.TF, ix.docLen[p.Doc])
			matched[p.Doc] = true
		}
	}
	var hits []Hit
	for d, ok := range matched {
		if ok {
			hits = append(hits, Hit{Doc: d, Score: scores[d]})
		}
	}
	sortHits(hits)
	return hits[:max(0, min(k, len(hits)))]
}

// sortHits orders hits by score, highest first, then by document index.
func sortHits(hits []Hit) {
	slices.SortFunc(hits, func(a, b Hit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return a.Doc - b.Doc
	})
}

// Contribution is one query term's part of a document's BM25 score.
type Contribution struct {
	Term  string
	TF    int     // occurrences in the document
	DF    int     // documents that hold the term
	IDF   float64 // Lucene's IDF
	Score float64 // IDF times the saturated, length-normalized tf (0 when TF is 0)
}

// Explain breaks a document's score for a query into the part each distinct
// query term brings, in query order; their Scores add up to the document's
// score in Search.
func (ix *Index) Explain(query string, doc int) []Contribution {
	var out []Contribution
	for _, t := range ix.queryTerms(query) {
		c := Contribution{Term: t, DF: len(ix.postings[t]), IDF: ix.IDF(t)}
		if i, ok := slices.BinarySearchFunc(ix.postings[t], doc, func(p Posting, d int) int { return p.Doc - d }); ok {
			c.TF = ix.postings[t][i].TF
			c.Score = ix.termScore(c.IDF, c.TF, ix.docLen[doc])
		}
		out = append(out, c)
	}
	return out
}

// String shows a contribution as a line of the notebook's table:
//
//	"debian     tf=3 df=120 idf=0.318 -> 0.402"
func (c Contribution) String() string {
	return fmt.Sprintf("%-10s tf=%d df=%d idf=%.3f -> %.3f", c.Term, c.TF, c.DF, c.IDF, c.Score)
}

// Tokenizers turn text into the terms BM25 counts. Which one is right depends
// on the language: English words carry their meaning alone ("packages" and
// "package" still differ, since nothing here stems), while a Korean word
// (eojeol) glues particles to its stem, so "패키지를", "패키지가" and "패키지는"
// are three terms that never match each other.

// LowerWords splits text into runs of letters and digits (Unicode classes,
// so Hangul counts as letters), lower-cased and in Unicode NFC; everything
// else separates words.
//
//	LowerWords("How do I use apt-get?") -> [how do i use apt get]
//	LowerWords("패키지를 지우려면?") -> [패키지를 지우려면]
func LowerWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(norm.NFC.String(text)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// SyllableBigrams cuts each word of LowerWords into runs of Hangul and runs of
// anything else; a Hangul run becomes its overlapping pairs of syllables (a
// one-syllable run stays whole), any other run stays a word. The pairs of
// "패키지를" and "패키지가" share "패키" and "키지", so a question and a
// passage match although their particles differ: the trick of Lucene's
// CJKBigramFilter, with no dictionary needed.
//
//	SyllableBigrams("패키지를 apt로") -> [패키 키지 지를 apt 로]
func SyllableBigrams(text string) []string {
	var out []string
	for _, w := range LowerWords(text) {
		for _, run := range scriptRuns(w) {
			rs := []rune(run)
			if !isHangul(rs[0]) || len(rs) == 1 {
				out = append(out, run)
				continue
			}
			for i := 0; i+1 < len(rs); i++ {
				out = append(out, string(rs[i:i+2]))
			}
		}
	}
	return out
}

// scriptRuns splits a word where it changes between Hangul and not Hangul:
// "testing을" -> ["testing" "을"].
func scriptRuns(w string) []string {
	var runs []string
	start, prev := 0, -1
	for i, r := range w {
		h := 0
		if isHangul(r) {
			h = 1
		}
		if prev >= 0 && h != prev {
			runs = append(runs, w[start:i])
			start = i
		}
		prev = h
	}
	return append(runs, w[start:])
}

func isHangul(r rune) bool { return unicode.Is(unicode.Hangul, r) }

// WordPieceTerms tokenizes lower-cased text with a WordPiece tokenizer and
// keeps the pieces that hold a letter or a digit (punctuation pieces, in
// nearly every passage, would only add noise). Pieces are subwords learned
// from counts (lesson 02): a frequent word stays whole, a rarer one falls
// into stem and ending, "##" marking a piece that continues a word.
func WordPieceTerms(tok *tokenize.WordPiece) func(string) []string {
	return func(text string) []string {
		var out []string
		for _, p := range tokenize.Pieces(tok, strings.ToLower(norm.NFC.String(text))) {
			if strings.IndexFunc(p, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
				out = append(out, p)
			}
		}
		return out
	}
}

// BERTWordPiece is the WordPiece tokenizer of lesson 07's BERT, which lesson
// 08's reader also uses: trained, as pretrain.LoadCorpus trains it, on the
// first DefaultBERTConfig().TokLines reviews and the Korean FAQ, with the
// same vocabulary size, so it gives the same pieces. Training takes a fraction
// of a second on 2 cores; the result is kept for the life of the program.
var BERTWordPiece = sync.OnceValues(func() (*tokenize.WordPiece, error) {
	cfg := pretrain.DefaultBERTConfig()
	c, err := pretrain.LoadCorpus(cfg.TokLines, cfg.TokLines, 0, cfg.VocabSize)
	if err != nil {
		return nil, fmt.Errorf("retrieval: training lesson 07's WordPiece vocabulary: %w", err)
	}
	return c.Tok, nil
})

// NamedTokenizer is a tokenizer with the name the notebook's tables show.
type NamedTokenizer struct {
	Name  string
	Split func(string) []string
}

// Tokenizers returns the tokenizers the lesson compares for a language:
// for "en", "words" (LowerWords); for "ko", "words", "bigrams"
// (SyllableBigrams) and "wordpiece" (WordPieceTerms with BERTWordPiece).
func Tokenizers(lang string) ([]NamedTokenizer, error) {
	words := NamedTokenizer{"words", LowerWords}
	switch lang {
	case "en":
		return []NamedTokenizer{words}, nil
	case "ko":
		tok, err := BERTWordPiece()
		if err != nil {
			return nil, err
		}
		return []NamedTokenizer{words, {"bigrams", SyllableBigrams}, {"wordpiece", WordPieceTerms(tok)}}, nil
	}
	return nil, fmt.Errorf("retrieval: no tokenizers for language %q (use \"en\" or \"ko\")", lang)
}
