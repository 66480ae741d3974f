package retrieval

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/baeum-go/baeum/mlx/show"
)

// Dense retrieval turns every text into one vector, so that texts that mean
// the same land close together, and answers a query with the passages whose
// vectors are nearest to the query's. Unlike BM25 it needs no shared word:
// "패키지를 지우다" and "remove a package" can meet. How close two vectors are
// is their cosine similarity; with vectors scaled to length 1 that is just
// the dot product, Σ qᵢ·dᵢ.
//
// Deliberately left out: approximate search. DenseIndex compares the query
// with every passage (exact search, in plain Go: 165 passages of 384 values
// are 63,000 multiply-adds, microseconds; a GoMLX graph would spend more
// moving the vectors than computing). An index over 150,000 reviews groups
// the vectors first (IVF) and searches only the nearest groups.

// Embedder turns texts into vectors, one per text, all of the same length.
// *MiniLM and *Encoder are embedders.
type Embedder interface {
	Embed(texts []string) ([][]float32, error)
}

// DenseIndex is exact nearest-neighbour search over the vectors of a
// collection: the score of a document is the dot product of its vector with
// the query's, both scaled to length 1 (the cosine similarity). It is a
// Searcher.
type DenseIndex struct {
	embedder Embedder
	vectors  [][]float32 // one per document, length 1
	err      error       // the first error Search met
}

// NewDenseIndex embeds every document with e and keeps the vectors, scaled
// to length 1.
func NewDenseIndex(e Embedder, docs []string) (*DenseIndex, error) {
	vectors, err := EmbedAll(e, docs, nil)
	if err != nil {
		return nil, err
	}
	return NewDenseIndexFromVectors(e, vectors)
}

// NewDenseIndexFromVectors builds the index over vectors already computed
// (with EmbedAll, or loaded from a file), copying and scaling them to length
// 1; e embeds the queries and must be the embedder that made them.
func NewDenseIndexFromVectors(e Embedder, vectors [][]float32) (*DenseIndex, error) {
	ix := &DenseIndex{embedder: e, vectors: make([][]float32, len(vectors))}
	for i, v := range vectors {
		if len(v) != len(vectors[0]) {
			return nil, fmt.Errorf("retrieval: vector %d has %d values, vector 0 has %d: not from one embedder", i, len(v), len(vectors[0]))
		}
		ix.vectors[i] = Normalize(append([]float32(nil), v...))
	}
	return ix, nil
}

// Len is the number of documents.
func (ix *DenseIndex) Len() int { return len(ix.vectors) }

// Vectors returns the documents' vectors, length 1, in document order. The
// caller must not modify them.
func (ix *DenseIndex) Vectors() [][]float32 { return ix.vectors }

// Search returns the k documents nearest to the query, best first (ties:
// lower index first); Score is the cosine similarity. Searcher has no error
// to return, so when the embedder fails Search returns no hits and Err
// reports why (as bufio.Scanner does).
func (ix *DenseIndex) Search(query string, k int) []Hit {
	q, err := ix.embedder.Embed([]string{query})
	if err != nil {
		if ix.err == nil {
			ix.err = fmt.Errorf("retrieval: embedding the query %q: %w", query, err)
		}
		return nil
	}
	return ix.SearchVector(q[0], k)
}

// Err is the first error a Search met, nil if none.
func (ix *DenseIndex) Err() error { return ix.err }

// SearchVector is Search for a query already embedded; it is scaled to
// length 1 (a copy), so that the scores are cosines.
func (ix *DenseIndex) SearchVector(q []float32, k int) []Hit {
	return TopK(ix.vectors, Normalize(slices.Clone(q)), k)
}

// Rank is the package's Rank for a dense index, faster: it embeds all the
// queries in one call to the embedder (batched), then searches each.
func (ix *DenseIndex) Rank(queries []string, k int) (Ranking, error) {
	qv, err := ix.embedder.Embed(queries)
	if err != nil {
		return nil, fmt.Errorf("retrieval: embedding %d queries: %w", len(queries), err)
	}
	r := make(Ranking, len(queries))
	for i, q := range qv {
		for _, h := range ix.SearchVector(q, k) {
			r[i] = append(r[i], h.Doc)
		}
	}
	return r, nil
}

// EvaluateEmbedder indexes the FAQ passages of lang ("en" or "ko") with e,
// ranks the language's evaluation questions (the top 100 passages) and
// scores the ranking: one row of the lesson's dense-retrieval table.
func EvaluateEmbedder(e Embedder, lang string) (Scores, error) {
	ps, qs, err := passagesAndQuestions(lang)
	if err != nil {
		return Scores{}, err
	}
	ix, err := NewDenseIndex(e, Documents(ps))
	if err != nil {
		return Scores{}, err
	}
	r, err := ix.Rank(Queries(qs), 100)
	if err != nil {
		return Scores{}, err
	}
	return Evaluate(r, ps, qs), nil
}

// TopK returns the k vectors with the largest dot product with q, best
// first (ties: lower index first). It keeps the best k seen so far in a
// sorted slice, so a pass over n vectors costs n dot products and rarely
// more than a comparison each.
//
//	vectors [[1 0] [0 1] [0.6 0.8]], q [0 1], k 2 -> [{1 1} {2 0.8}]
func TopK(vectors [][]float32, q []float32, k int) []Hit {
	top := newTopK(min(k, len(vectors)))
	for d, v := range vectors {
		top.offer(d, Dot(v, q))
	}
	return top.hits
}

// Dot is Σ aᵢ·bᵢ for two vectors of the same length: the cosine similarity
// of two vectors of length 1. Four running sums let the CPU overlap four
// multiply-adds (one sum would wait for the previous addition each time):
// about 2.7 times faster than a plain loop on this course's machine, 1.8 G
// multiply-adds per second per core.
func Dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	for len(a) >= 4 && len(b) >= 4 {
		s0 += a[0] * b[0]
		s1 += a[1] * b[1]
		s2 += a[2] * b[2]
		s3 += a[3] * b[3]
		a, b = a[4:], b[4:]
	}
	for i := range a {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Normalize scales v in place to length 1 and returns it (a zero vector
// stays zero).
//
//	[3 4] -> [0.6 0.8]
func Normalize(v []float32) []float32 {
	n := math.Sqrt(float64(Dot(v, v)))
	if n == 0 {
		return v
	}
	for i := range v {
		v[i] = float32(float64(v[i]) / n)
	}
	return v
}

// EmbedChunk is how many texts EmbedAll hands the embedder at a time: big
// enough that an embedder sorting its texts by length (MiniLM, Encoder)
// fills its batches with texts of similar length, small enough for
// progress to move every second or so.
const EmbedChunk = 1024

// EmbedAll embeds texts EmbedChunk at a time and calls progress (if not
// nil) after each chunk with the texts done so far and the time spent. In a
// notebook, pass ShowEmbedProgress(len(texts)) to see a live line.
func EmbedAll(e Embedder, texts []string, progress func(done int, elapsed time.Duration)) ([][]float32, error) {
	out := make([][]float32, 0, len(texts))
	start := time.Now()
	for i := 0; i < len(texts); i += EmbedChunk {
		vecs, err := e.Embed(texts[i:min(i+EmbedChunk, len(texts))])
		if err != nil {
			return nil, fmt.Errorf("retrieval: embedding texts %d to %d: %w", i, min(i+EmbedChunk, len(texts))-1, err)
		}
		out = append(out, vecs...)
		if progress != nil {
			progress(len(out), time.Since(start))
		}
	}
	return out, nil
}

// ShowEmbedProgress returns a progress function for EmbedAll that keeps one
// live line in the notebook ("12,288 / 150,000 texts, 2,350 texts/s, 59 s
// left") and clears it when all total texts are done. Outside a notebook it
// shows nothing.
func ShowEmbedProgress(total int) func(done int, elapsed time.Duration) {
	live := show.NewLive()
	return func(done int, elapsed time.Duration) {
		if done >= total {
			live.Clear()
			return
		}
		rate := float64(done) / max(elapsed.Seconds(), 1e-9)
		live.Update(fmt.Sprintf("<code>%d / %d texts, %.0f texts/s, %.0f s left</code>", done, total, rate, float64(total-done)/rate))
	}
}
