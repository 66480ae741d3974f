package retrieval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

func TestExactSearch(t *testing.T) {
	e, err := NewExact([][]float32{{1, 0}, {0.6, 0.8}, {0, 1}})
	if err != nil {
		t.Fatal(err)
	}
	// query [0.8 0.6]: dot products 0.8, 0.96, 0.6 (float32 products, so within 1e-6)
	for _, tc := range []struct {
		k    int
		want []Hit
	}{
		{2, []Hit{{1, 0.96}, {0, 0.8}}},
		{5, []Hit{{1, 0.96}, {0, 0.8}, {2, 0.6}}},
		{0, []Hit{}},
	} {
		got := e.Search([]float32{0.8, 0.6}, tc.k)
		if len(got) != len(tc.want) {
			t.Fatalf("k=%d: %v, want %v", tc.k, got, tc.want)
		}
		for i := range got {
			if got[i].Doc != tc.want[i].Doc || math.Abs(got[i].Score-tc.want[i].Score) > 1e-6 {
				t.Errorf("k=%d: %v, want %v", tc.k, got, tc.want)
			}
		}
	}
	if e.Len() != 3 || e.Bytes() != 3*2*4 {
		t.Errorf("Len %d, Bytes %d; want 3 and 24", e.Len(), e.Bytes())
	}
	if _, err := NewExact([][]float32{{1, 0}, {1}}); err == nil {
		t.Error("NewExact took vectors of different lengths")
	}
}

func TestTopKOffer(t *testing.T) {
	type offer struct {
		doc   int
		score float32
	}
	offers := []offer{{4, 0.5}, {7, 0.75}, {1, 0.5}, {3, 0.1}, {2, 0.5}}
	want := []Hit{{7, 0.75}, {1, 0.5}, {2, 0.5}}
	// Any order of the same offers keeps the same three: ties go to the lower Doc.
	for _, perm := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}} {
		top := newTopK(3)
		for _, i := range perm {
			top.offer(offers[i].doc, offers[i].score)
		}
		if !slices.Equal(top.hits, want) {
			t.Errorf("order %v: %v, want %v", perm, top.hits, want)
		}
	}
}

// ivfData is 4,000 indexed vectors and 100 queries drawn from the same 40
// blobs in 32 dimensions, loose enough (sigma 0.3) that a query's nearest
// neighbours often straddle two k-means cells.
func ivfData() (vectors, queries [][]float32) {
	all, _ := blobs(21, 40, 4100/40, 32, 0.3)
	rng := rand.New(rand.NewPCG(4, 4))
	rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
	return all[:4000], all[4000:]
}

func TestIVFRecallGrowsWithNProbe(t *testing.T) {
	vectors, queries := ivfData()
	km, err := TrainKMeans(vectors, KMeansConfig{K: 32, Iterations: 20, Sample: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIVF(km, vectors)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := NewExact(vectors)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]Hit, len(queries))
	for q, query := range queries {
		want[q] = exact.Search(query, 10)
	}
	prev := -1.0
	for _, nprobe := range []int{1, 2, 4, 8, 16, 32} {
		got := make([][]Hit, len(queries))
		for q, query := range queries {
			got[q] = ix.Search(query, 10, nprobe)
		}
		recall := NeighbourRecall(want, got)
		t.Logf("nprobe %2d: recall@10 %.3f", nprobe, recall)
		// Probing more lists only adds candidates, so recall never falls.
		if recall < prev {
			t.Errorf("nprobe %d: recall@10 %.3f, below %.3f with fewer probes", nprobe, recall, prev)
		}
		switch {
		case nprobe == 1 && recall > 0.8: // 0.399 when written
			t.Errorf("nprobe 1: recall@10 %.3f; these loose blobs should make one probe miss many neighbours", recall)
		case nprobe == ix.NList():
			for q := range queries { // every list probed: exactly the exact hits, scores included
				if !slices.Equal(got[q], want[q]) {
					t.Fatalf("query %d, nprobe = nlist: %v, exact search %v", q, got[q], want[q])
				}
			}
		}
		prev = recall
	}
}

func TestIVFLists(t *testing.T) {
	vectors, _ := ivfData()
	km, err := TrainKMeans(vectors, KMeansConfig{K: 16, Iterations: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := NewIVF(km, vectors)
	if err != nil {
		t.Fatal(err)
	}
	if ix.NList() != 16 || ix.Len() != len(vectors) {
		t.Fatalf("NList %d, Len %d; want 16 and %d", ix.NList(), ix.Len(), len(vectors))
	}
	// Every vector sits once, in the list of its nearest centroid, stored as given.
	seen := make([]bool, len(vectors))
	for c := range ix.NList() {
		if len(ix.ids[c]) != ix.ListSizes()[c] {
			t.Fatalf("list %d: %d IDs, ListSizes says %d", c, len(ix.ids[c]), ix.ListSizes()[c])
		}
		for j, id := range ix.ids[c] {
			if seen[id] {
				t.Fatalf("vector %d is in two lists", id)
			}
			seen[id] = true
			if nearest, _ := km.nearest(vectors[id]); nearest != c {
				t.Errorf("vector %d is in list %d, its nearest centroid is %d", id, c, nearest)
			}
			if !slices.Equal(ix.lists[c][j*ix.Dim:(j+1)*ix.Dim], vectors[id]) {
				t.Errorf("list %d row %d differs from vector %d", c, j, id)
			}
		}
	}
	n, d := int64(len(vectors)), int64(32)
	if want := 4*n*d + 4*n + 4*16*d; ix.Bytes() != want {
		t.Errorf("Bytes %d, want %d", ix.Bytes(), want)
	}
	if _, err := NewIVF(km, [][]float32{{1, 0}}); err == nil {
		t.Error("NewIVF took 2-d vectors for a 32-d quantizer")
	}
}

func TestNeighbourRecall(t *testing.T) {
	exact := [][]Hit{{{Doc: 1}, {Doc: 2}}, {{Doc: 3}, {Doc: 4}}}
	approx := [][]Hit{{{Doc: 2}, {Doc: 5}}, {{Doc: 4}, {Doc: 3}}}
	if got := NeighbourRecall(exact, approx); got != 0.75 { // (1/2 + 2/2) / 2
		t.Errorf("NeighbourRecall = %v, want 0.75", got)
	}
	if got := NeighbourRecall(nil, nil); got != 0 {
		t.Errorf("NeighbourRecall of no queries = %v, want 0", got)
	}
}

func ExampleExact_Search() {
	e, _ := NewExact([][]float32{{1, 0}, {0.6, 0.8}, {0, 1}})
	for _, h := range e.Search([]float32{0.8, 0.6}, 2) {
		fmt.Printf("doc %d cosine %.2f\n", h.Doc, h.Score)
	}
	// Output:
	// doc 1 cosine 0.96
	// doc 0 cosine 0.80
}

func ExampleIVF_Search() {
	// Eight unit vectors around the circle, at 22.5°, 67.5°, ..., 337.5°.
	var vectors [][]float32
	for i := range 8 {
		a := 2 * math.Pi * (float64(i) + 0.5) / 8
		vectors = append(vectors, []float32{float32(math.Cos(a)), float32(math.Sin(a))})
	}
	// A quantizer with two cells: the right half of the circle and the left.
	halves := &KMeans{Dim: 2, Centroids: []float32{1, 0, -1, 0}}
	ix, _ := NewIVF(halves, vectors)
	fmt.Println("list sizes:", ix.ListSizes())
	// Almost straight up, a little to the right: its two nearest vectors are
	// 1 (67.5°) and, across the border, 2 (112.5°).
	query := []float32{0.1, 0.995}
	for _, nprobe := range []int{1, 2} {
		var docs []int
		for _, h := range ix.Search(query, 2, nprobe) {
			docs = append(docs, h.Doc)
		}
		fmt.Printf("nprobe %d: %v\n", nprobe, docs)
	}
	// Output:
	// list sizes: [4 4]
	// nprobe 1: [1 0]
	// nprobe 2: [1 2]
}

func ExampleNeighbourRecall() {
	exact := [][]Hit{{{Doc: 1}, {Doc: 2}}}
	approx := [][]Hit{{{Doc: 2}, {Doc: 5}}}
	fmt.Println(NeighbourRecall(exact, approx))
	// Output: 0.5
}

// BenchmarkExact measures exact search over the notebook's 150,000 vectors
// of 128 numbers, one query at a time: Exact.Search in plain Go on one core
// ("go"), and one GoMLX graph per query, matmul + TopK on the XLA backend
// ("xla"), and the same graph for a batch of 200 queries at once
// ("xla-batch", reported per query).
func BenchmarkExact(b *testing.B) {
	const n, dim, k, batch = 150000, 128, 10, 200
	rng := rand.New(rand.NewPCG(1, 3))
	vectors := make([][]float32, n)
	for i := range vectors {
		vectors[i] = randomUnit(rng, dim)
	}
	queries := make([]float32, batch*dim)
	for q := range batch {
		copy(queries[q*dim:], randomUnit(rng, dim))
	}
	exact, _ := NewExact(vectors)
	b.Run("go", func(b *testing.B) {
		q := 0
		for b.Loop() {
			exact.Search(queries[q*dim:(q+1)*dim], k)
			q = (q + 1) % batch
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "queries/s")
	})
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip(err)
	}
	exec, err := graph.NewExec(backend, func(q, x *graph.Node) []*graph.Node {
		scores := graph.MatMul(q, graph.Transpose(x, 0, 1)) // [queries, n]
		values, indices := graph.TopK(scores, k, -1)        // [queries, k]
		return []*graph.Node{values, indices}
	})
	if err != nil {
		b.Fatal(err)
	}
	// The vectors go to the backend once, as an index would keep them there.
	x := tensors.FromFlatDataAndDimensions(exact.data, n, dim)
	for _, size := range []int{1, batch} {
		name := map[int]string{1: "xla", batch: "xla-batch"}[size]
		b.Run(name, func(b *testing.B) {
			q := tensors.FromFlatDataAndDimensions(queries[:size*dim], size, dim)
			if _, err := exec.Exec(q, x); err != nil { // compile, and move x, outside the timing
				b.Fatal(err)
			}
			for b.Loop() {
				res, err := exec.Exec(q, x)
				if err != nil {
					b.Fatal(err)
				}
				tensors.MustCopyFlatData[int32](res[1])
			}
			b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "queries/s")
		})
	}
}
