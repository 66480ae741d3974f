package retrieval

import (
	"fmt"
	"math"
)

// Exact search compares a query with every vector: n dot products per
// query, 19 million multiply-adds for 150,000 vectors of 128 numbers. An
// inverted-file (IVF) index answers in a fraction of that by looking only
// where the answer probably is (Jégou, Douze and Schmid, "Product
// Quantization for Nearest Neighbor Search", 2011, section IV; the IndexIVF
// of Johnson, Douze and Jégou's FAISS):
//
//   - train: k-means cuts the space into nlist cells, one per centroid (the
//     "coarse quantizer");
//   - add: every vector goes into the list of its nearest centroid;
//   - search: compare the query with the nlist centroids, then only with the
//     vectors of the nprobe nearest lists.
//
// With nlist ≈ √n lists of about √n vectors, one probe costs about 2√n dot
// products instead of n. The price is recall: a true neighbour that fell
// into a list not probed is missed; more probes find more of them, and
// nprobe = nlist scans everything and equals exact search.
//
// Exact and IVF share Dot and topK and each keeps its own contiguous copy
// of the vectors, so their speeds compare the number of dot products and
// nothing else. Both answer one query at a time on one goroutine, as a
// search server answers a request. Measured on the course's 2-core machine
// over 150,000 random vectors of 128 numbers (ivf_test.go's BenchmarkExact):
// Exact.Search in plain Go, one core, 119 queries/s; one GoMLX matmul +
// TopK per query on XLA's CPU backend, both cores, 221 queries/s, no
// faster per core (one query reads every vector once, so memory, not
// arithmetic, sets the pace); the same graph over a batch of 200 queries,
// 950 queries/s, since each vector read serves 200 queries. Batching helps
// IVF too (FAISS batches both), by as much as the queries of a batch share
// lists; one query at a time, in plain Go, keeps the comparison simple and
// fair.
//
// Deliberately left out: compressing the stored vectors (product
// quantization, FAISS's IVFPQ), graph indexes such as HNSW, and adding or
// removing vectors after the index is built.

// Exact is brute-force search: a copy of the vectors, every one compared
// with the query.
type Exact struct {
	Dim  int
	data []float32 // [n, Dim]
}

// NewExact copies vectors (all of one length) into an exact index.
func NewExact(vectors [][]float32) (*Exact, error) {
	dim, err := checkVectors(vectors)
	if err != nil {
		return nil, fmt.Errorf("retrieval.NewExact: %w", err)
	}
	e := &Exact{Dim: dim, data: make([]float32, 0, len(vectors)*dim)}
	for _, v := range vectors {
		e.data = append(e.data, v...)
	}
	return e, nil
}

// Len is the number of vectors.
func (e *Exact) Len() int { return len(e.data) / e.Dim }

// Bytes is the memory the index holds: 4 bytes per stored number.
func (e *Exact) Bytes() int64 { return 4 * int64(len(e.data)) }

// Search returns the k vectors with the largest dot products with query
// (the cosine, for unit vectors), best first; ties: lower index first.
//
//	vectors [[1 0] [0.6 0.8] [0 1]], query [0.8 0.6], k=2 -> [{1 0.96} {0 0.8}]
func (e *Exact) Search(query []float32, k int) []Hit {
	top := newTopK(k)
	for i := range e.Len() {
		top.offer(i, Dot(query, e.data[i*e.Dim:(i+1)*e.Dim]))
	}
	return top.hits
}

// IVF is an inverted-file index: the vectors grouped into the lists of a
// k-means quantizer's clusters.
type IVF struct {
	Dim       int
	Quantizer *KMeans
	lists     [][]float32 // lists[c]: the vectors of cluster c, [len(ids[c]), Dim]
	ids       [][]int32   // ids[c][j]: the index (in the vectors added) of lists[c]'s row j
}

// NewIVF builds an IVF index with quantizer's clusters as its lists and adds
// vectors to it, each to the list of its nearest centroid (KMeans.Assign);
// within a list they keep their order. The quantizer is usually trained on
// a sample of the same vectors.
func NewIVF(quantizer *KMeans, vectors [][]float32) (*IVF, error) {
	dim, err := checkVectors(vectors)
	if err != nil {
		return nil, fmt.Errorf("retrieval.NewIVF: %w", err)
	}
	if dim != quantizer.Dim {
		return nil, fmt.Errorf("retrieval.NewIVF: vectors of %d values, the quantizer's centroids have %d", dim, quantizer.Dim)
	}
	if len(vectors) > math.MaxInt32 {
		return nil, fmt.Errorf("retrieval.NewIVF: %d vectors, more than int32 IDs can number", len(vectors))
	}
	ix := &IVF{Dim: dim, Quantizer: quantizer,
		lists: make([][]float32, quantizer.K()), ids: make([][]int32, quantizer.K())}
	cluster, err := quantizer.Assign(vectors)
	if err != nil {
		return nil, fmt.Errorf("retrieval.NewIVF: %w", err)
	}
	sizes := make([]int, quantizer.K())
	for _, c := range cluster {
		sizes[c]++
	}
	for c, n := range sizes {
		ix.lists[c] = make([]float32, 0, n*dim)
		ix.ids[c] = make([]int32, 0, n)
	}
	for i, c := range cluster {
		ix.lists[c] = append(ix.lists[c], vectors[i]...)
		ix.ids[c] = append(ix.ids[c], int32(i))
	}
	return ix, nil
}

// NList is the number of lists (the quantizer's K).
func (ix *IVF) NList() int { return len(ix.lists) }

// Len is the number of vectors added.
func (ix *IVF) Len() int {
	n := 0
	for _, ids := range ix.ids {
		n += len(ids)
	}
	return n
}

// ListSizes is the number of vectors in each list. k-means does not balance
// them, and a query that probes a long list pays for every vector in it.
func (ix *IVF) ListSizes() []int {
	sizes := make([]int, len(ix.ids))
	for c, ids := range ix.ids {
		sizes[c] = len(ids)
	}
	return sizes
}

// Bytes is the memory the index holds: 4 bytes per stored number, 4 per
// vector's ID, and the centroids.
func (ix *IVF) Bytes() int64 {
	n := int64(ix.Len())
	return 4*n*int64(ix.Dim) + 4*n + 4*int64(len(ix.Quantizer.Centroids))
}

// Search returns about the k vectors with the largest dot products with
// query, best first, looking only in the nprobe lists whose centroids are
// nearest the query (nprobe is clamped to [1, NList]). Ties are broken as
// Exact.Search breaks them, so nprobe = NList gives exactly its answer.
func (ix *IVF) Search(query []float32, k, nprobe int) []Hit {
	top := newTopK(k)
	for _, c := range ix.Quantizer.Nearest(query, max(1, nprobe)) {
		list := ix.lists[c]
		for j, id := range ix.ids[c] {
			top.offer(int(id), Dot(query, list[j*ix.Dim:(j+1)*ix.Dim]))
		}
	}
	return top.hits
}

// topK keeps the k best hits offered so far, best first: higher score, and
// on equal scores the lower Doc, so the order of offers does not matter.
type topK struct {
	k    int
	hits []Hit
}

func newTopK(k int) *topK { return &topK{k: max(0, k), hits: make([]Hit, 0, max(0, k))} }

// offer inserts a hit if it beats the worst one kept (or fewer than k are
// kept). Most offers in a long scan fail the first comparison, so an
// insertion into a short sorted slice costs less than a heap would.
//
//	k=2, offers (4, 0.5) (7, 0.9) (1, 0.5) -> [{7 0.9} {1 0.5}]
func (t *topK) offer(doc int, score float32) {
	h := Hit{Doc: doc, Score: float64(score)}
	if len(t.hits) == t.k && (t.k == 0 || !better(h, t.hits[t.k-1])) {
		return
	}
	if len(t.hits) < t.k {
		t.hits = append(t.hits, h)
	}
	i := len(t.hits) - 1
	for ; i > 0 && better(h, t.hits[i-1]); i-- {
		t.hits[i] = t.hits[i-1]
	}
	t.hits[i] = h
}

// better orders hits: higher score first, then lower Doc.
func better(a, b Hit) bool {
	return a.Score > b.Score || (a.Score == b.Score && a.Doc < b.Doc)
}

// NeighbourRecall is how the notebook scores an approximate search against
// exact search (recall@k): the fraction of each query's exact hits that
// its approximate hits also hold, averaged over queries (both slices hold
// one []Hit per query, usually k of each).
//
//	exact [[{1} {2}]], approx [[{2} {5}]] -> 0.5
func NeighbourRecall(exact, approx [][]Hit) float64 {
	if len(exact) == 0 {
		return 0
	}
	var sum float64
	for q, want := range exact {
		if len(want) == 0 {
			sum++
			continue
		}
		found := 0
		for _, w := range want {
			for _, a := range approx[q] {
				if a.Doc == w.Doc {
					found++
					break
				}
			}
		}
		sum += float64(found) / float64(len(want))
	}
	return sum / float64(len(exact))
}
