package retrieval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// k-means groups vectors into K clusters, each represented by its centroid
// (Lloyd, "Least squares quantization in PCM", 1982): start from K centroids,
// then repeat two steps, assign every vector to its nearest centroid and move
// every centroid to the mean of its vectors, until no vector changes cluster.
//
// The vectors here are sentence embeddings of length 1, compared by their
// dot product (the cosine), so this is spherical k-means (Dhillon and Modha,
// "Concept decompositions for large sparse text data using clustering",
// 2001): a vector joins the centroid with the largest dot product, and a
// centroid is its vectors' mean rescaled to length 1. For unit vectors
// ‖x − c‖² = 2 − 2·x·c, so "largest dot product" is "nearest" and nothing
// else changes.
//
// The first centroids come from k-means++ (Arthur and Vassilvitskii,
// "k-means++: The Advantages of Careful Seeding", 2007): each next one is a
// vector drawn with probability proportional to its squared distance to the
// nearest centroid so far, which spreads them over the data.
//
// Deliberately left out: mini-batch k-means, Elkan's triangle-inequality
// shortcuts, balanced clusters, and keeping the vectors on the backend
// between rounds (each round sends them again).
//
// Speed, measured on the course's 2-core machine (shared with other work,
// so within a factor of about 2): the assignment step costs n·K dot
// products of Dim numbers, 1 G multiply-adds for 20,000 vectors, K = 400
// and Dim = 128. Plain Go on both cores (a goroutine per chunk of the
// vectors, Dot's four running sums) took 0.44 s; the same step as one
// GoMLX matmul + ArgMax per chunk of 4,096 vectors on XLA's CPU backend,
// which uses the vector units Go leaves idle, took 0.03 s (kmeans_test.go's
// BenchmarkAssign). So the notebook gives KMeansConfig a Backend, and the
// tests check the backend against the Go loop. Seeding stays in Go, since
// each pick depends on the one before; with 7 candidates a pick it is then
// the larger cost, 7 G multiply-adds, about 2 s. In all, training on 20,000
// vectors and assigning 150,000 took about 3 s.

// KMeansConfig sets how TrainKMeans runs.
type KMeansConfig struct {
	K          int    // clusters
	Iterations int    // at most this many rounds of assign + update; fewer if no vector changes cluster
	Sample     int    // train on this many vectors drawn at random (0 or ≥ n: all of them)
	Seed       uint64 // of the sample and of k-means++'s draws

	// Backend, when set, runs the assignment step as one matmul + ArgMax
	// per chunk of vectors on it (see "Speed" above); nil runs plain Go.
	Backend compute.Backend
}

// KMeans is a trained spherical k-means: K centroids of length 1.
type KMeans struct {
	Dim       int
	Centroids []float32 // [K, Dim]: row c is centroid c
	MeanCos   []float64 // after each assignment round: the mean cosine of a vector to its centroid

	exec *graph.Exec // the assignment step on KMeansConfig.Backend; nil: plain Go
}

// K is the number of clusters.
func (km *KMeans) K() int { return len(km.Centroids) / km.Dim }

// Centroid returns centroid c (a view into Centroids).
func (km *KMeans) Centroid(c int) []float32 {
	return km.Centroids[c*km.Dim : (c+1)*km.Dim : (c+1)*km.Dim]
}

// TrainKMeans clusters vectors, which should have length 1 (an Embedder's
// output), into cfg.K clusters. It is deterministic for a given Seed.
func TrainKMeans(vectors [][]float32, cfg KMeansConfig) (*KMeans, error) {
	dim, err := checkVectors(vectors)
	if err != nil {
		return nil, fmt.Errorf("retrieval.TrainKMeans: %w", err)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x6b6d65616e73)) // "kmeans"
	vectors = sampleBlock(vectors, cfg.Sample, rng)
	if cfg.K < 1 || cfg.K > len(vectors) {
		return nil, fmt.Errorf("retrieval.TrainKMeans: K = %d clusters from %d vectors; want 1 ≤ K ≤ vectors", cfg.K, len(vectors))
	}
	if cfg.Iterations < 1 {
		return nil, fmt.Errorf("retrieval.TrainKMeans: Iterations = %d, want at least 1", cfg.Iterations)
	}
	km := &KMeans{Dim: dim, Centroids: seedPlusPlus(vectors, cfg.K, rng)}
	if cfg.Backend != nil {
		if km.exec, err = graph.NewExec(cfg.Backend, assignGraph); err != nil {
			return nil, fmt.Errorf("retrieval.TrainKMeans: %w", err)
		}
	}
	cluster, next := make([]int, len(vectors)), make([]int, len(vectors))
	for i := range cluster {
		cluster[i] = -1
	}
	best := make([]float32, len(vectors))
	for range cfg.Iterations {
		if err := km.nearestAll(vectors, next, best); err != nil {
			return nil, fmt.Errorf("retrieval.TrainKMeans: %w", err)
		}
		changed := 0
		for i := range next {
			if next[i] != cluster[i] {
				changed++
			}
		}
		cluster, next = next, cluster
		var total float64
		for _, b := range best {
			total += float64(b)
		}
		km.MeanCos = append(km.MeanCos, total/float64(len(best)))
		if changed == 0 {
			break
		}
		km.update(vectors, cluster, best)
	}
	return km, nil
}

// sampleBlock copies n vectors drawn at random (all of them if n is 0 or
// too large), in their order, into one block of memory. Every round reads
// them all, and reading memory in order is what the CPU's caches are good
// at: an embedder's vectors, allocated one by one, may lie scattered, and
// k-means++ ran about twice as slow on such vectors here.
func sampleBlock(vectors [][]float32, n int, rng *rand.Rand) [][]float32 {
	rows := rng.Perm(len(vectors))
	if n > 0 && n < len(vectors) {
		rows = rows[:n]
	}
	slices.Sort(rows)
	dim := len(vectors[0])
	block := make([]float32, len(rows)*dim)
	out := make([][]float32, len(rows))
	for i, r := range rows {
		out[i] = block[i*dim : (i+1)*dim : (i+1)*dim]
		copy(out[i], vectors[r])
	}
	return out
}

// seedPlusPlus picks k centroids among vectors with greedy k-means++: at
// each step it draws 2 + ⌊ln k⌋ candidates (each with probability
// proportional to its squared distance to the nearest centroid so far) and
// keeps the one that lowers the total squared distance most. Plain
// k-means++ (one candidate) often puts the last centroids two in one tight
// cluster, because many small distances together outweigh one far cluster;
// the greedy draw, which the authors suggest and scikit-learn uses, rarely
// does. It costs 2 + ⌊ln k⌋ dot products per vector and step, about as much
// as seven rounds of Lloyd's algorithm for K = 400.
func seedPlusPlus(vectors [][]float32, k int, rng *rand.Rand) []float32 {
	dim := len(vectors[0])
	centroids := make([]float32, 0, k*dim)
	dist2 := make([]float64, len(vectors)) // squared distance to the nearest centroid so far
	for i := range dist2 {
		dist2[i] = math.Inf(1)
	}
	trials := 2 + int(math.Log(float64(k)))
	// dist2If[t][i] is dist2[i] if candidate t became a centroid.
	dist2If := make([][]float64, trials)
	for t := range dist2If {
		dist2If[t] = make([]float64, len(vectors))
	}
	candidates := []int{rng.IntN(len(vectors))} // the first centroid: any vector
	for range k {
		parallelRows(len(vectors), func(lo, hi int) {
			for t, cand := range candidates {
				for i := lo; i < hi; i++ {
					// For unit vectors ‖x − c‖² = 2 − 2·x·c; rounding can make it slightly negative.
					dist2If[t][i] = min(dist2[i], max(0, 2-2*float64(Dot(vectors[i], vectors[cand]))))
				}
			}
		})
		bestT, bestTotal := 0, math.Inf(1)
		for t := range candidates {
			var total float64
			for _, d := range dist2If[t] {
				total += d
			}
			if total < bestTotal {
				bestT, bestTotal = t, total
			}
		}
		centroids = append(centroids, vectors[candidates[bestT]]...)
		dist2, dist2If[bestT] = dist2If[bestT], dist2
		candidates = candidates[:0]
		for range trials {
			candidates = append(candidates, drawWeighted(dist2, bestTotal, rng))
		}
	}
	return centroids
}

// drawWeighted returns i with probability w[i]/total (total = Σ w), or any
// index uniformly when total is 0 (every vector is already a centroid).
func drawWeighted(w []float64, total float64, rng *rand.Rand) int {
	if total == 0 {
		return rng.IntN(len(w))
	}
	r := rng.Float64() * total
	for i, x := range w {
		if r -= x; r < 0 {
			return i
		}
	}
	return len(w) - 1 // r can outlast the sum by a rounding error
}

// nearestAll writes, for each vector, its nearest centroid (largest dot
// product; on a tie the lower cluster) into cluster and that dot product
// into best.
func (km *KMeans) nearestAll(vectors [][]float32, cluster []int, best []float32) error {
	if km.exec != nil {
		return km.nearestAllGraph(vectors, cluster, best)
	}
	parallelRows(len(vectors), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			cluster[i], best[i] = km.nearest(vectors[i])
		}
	})
	return nil
}

// assignChunk is how many vectors nearestAllGraph sends to the backend at
// once (the last chunk is padded with zeros, so one compiled graph serves all).
const assignChunk = 4096

// assignGraph is the assignment step as a graph: every vector's dot
// product with every centroid is one matrix product.
func assignGraph(x, centroids *graph.Node) []*graph.Node {
	scores := graph.MatMul(x, graph.Transpose(centroids, 0, 1))                 // [chunk, K]
	return []*graph.Node{graph.ArgMax(scores, -1), graph.ReduceMax(scores, -1)} // [chunk], [chunk]
}

// nearestAllGraph is nearestAll on the backend, a chunk at a time.
func (km *KMeans) nearestAllGraph(vectors [][]float32, cluster []int, best []float32) error {
	centroids := tensors.FromFlatDataAndDimensions(km.Centroids, km.K(), km.Dim)
	defer centroids.FinalizeAll()
	x := make([]float32, assignChunk*km.Dim)
	for lo := 0; lo < len(vectors); lo += assignChunk {
		hi := min(lo+assignChunk, len(vectors))
		clear(x[(hi-lo)*km.Dim:])
		for i := lo; i < hi; i++ {
			copy(x[(i-lo)*km.Dim:], vectors[i])
		}
		chunk := tensors.FromFlatDataAndDimensions(x, assignChunk, km.Dim) // a copy of x
		res, err := km.exec.Exec(chunk, centroids)
		chunk.FinalizeAll()
		if err != nil {
			return fmt.Errorf("k-means assignment on the backend: %w", err)
		}
		c, s := tensors.MustCopyFlatData[int32](res[0]), tensors.MustCopyFlatData[float32](res[1])
		for i := lo; i < hi; i++ {
			cluster[i], best[i] = int(c[i-lo]), s[i-lo]
		}
		res[0].FinalizeAll()
		res[1].FinalizeAll()
	}
	return nil
}

// nearest is the centroid with the largest dot product with x, and that product.
func (km *KMeans) nearest(x []float32) (int, float32) {
	bestC, bestS := 0, float32(math.Inf(-1))
	for c := range km.K() {
		if s := Dot(x, km.Centroid(c)); s > bestS {
			bestC, bestS = c, s
		}
	}
	return bestC, bestS
}

// update moves every centroid to the mean of its vectors, rescaled to
// length 1. A cluster left empty takes the vector farthest from its own
// centroid (the worst-served one), a common remedy that keeps K clusters.
func (km *KMeans) update(vectors [][]float32, cluster []int, best []float32) {
	k, dim := km.K(), km.Dim
	sums := make([]float64, k*dim)
	counts := make([]int, k)
	for i, x := range vectors {
		c := cluster[i]
		counts[c]++
		for j, v := range x {
			sums[c*dim+j] += float64(v)
		}
	}
	taken := map[int]bool{}
	for c := range k {
		centroid := km.Centroid(c)
		if counts[c] == 0 {
			far := -1
			for i, b := range best {
				if !taken[i] && (far < 0 || b < best[far]) {
					far = i
				}
			}
			taken[far] = true
			copy(centroid, vectors[far])
			continue
		}
		var norm float64
		for _, s := range sums[c*dim : (c+1)*dim] {
			norm += s * s
		}
		if norm == 0 { // members that cancel out: keep the old centroid
			continue
		}
		norm = math.Sqrt(norm)
		for j := range centroid {
			centroid[j] = float32(sums[c*dim+j] / norm)
		}
	}
}

// Assign returns, for each vector, its nearest centroid (largest dot
// product; on a tie the lower cluster), on the backend the k-means was
// trained with, or in plain Go on every core.
func (km *KMeans) Assign(vectors [][]float32) ([]int, error) {
	if len(vectors) > 0 {
		dim, err := checkVectors(vectors)
		if err == nil && dim != km.Dim {
			err = fmt.Errorf("vectors of %d values, the centroids have %d", dim, km.Dim)
		}
		if err != nil {
			return nil, fmt.Errorf("retrieval.KMeans.Assign: %w", err)
		}
	}
	cluster, best := make([]int, len(vectors)), make([]float32, len(vectors))
	if err := km.nearestAll(vectors, cluster, best); err != nil {
		return nil, fmt.Errorf("retrieval.KMeans.Assign: %w", err)
	}
	return cluster, nil
}

// Nearest returns the n centroids with the largest dot products with x,
// best first (ties: lower cluster first): the lists an IVF index probes.
func (km *KMeans) Nearest(x []float32, n int) []int {
	top := newTopK(min(n, km.K()))
	for c := range km.K() {
		top.offer(c, Dot(x, km.Centroid(c)))
	}
	out := make([]int, len(top.hits))
	for i, h := range top.hits {
		out[i] = h.Doc
	}
	return out
}

// checkVectors returns the length shared by all vectors, or an error if
// there are none or their lengths differ.
func checkVectors(vectors [][]float32) (int, error) {
	if len(vectors) == 0 || len(vectors[0]) == 0 {
		return 0, fmt.Errorf("no vectors")
	}
	dim := len(vectors[0])
	for i, v := range vectors {
		if len(v) != dim {
			return 0, fmt.Errorf("vector %d has %d values, vector 0 has %d", i, len(v), dim)
		}
	}
	return dim, nil
}

// parallelRows calls f on consecutive chunks [lo, hi) of [0, n), one
// goroutine per core, and waits for all of them.
func parallelRows(n int, f func(lo, hi int)) {
	mlx.Parallel(n, max(1, min(runtime.GOMAXPROCS(0), n/64)), f) // a tiny n is not worth a goroutine
}
