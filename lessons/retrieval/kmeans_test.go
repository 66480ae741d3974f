package retrieval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
)

// randomUnit is a vector drawn uniformly from the unit sphere of dim dims.
func randomUnit(rng *rand.Rand, dim int) []float32 {
	v := make([]float32, dim)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return Normalize(v)
}

// blobs draws perCluster unit vectors around each of k random unit centres
// (Gaussian noise of standard deviation sigma per dimension, then rescaled
// to length 1); label[i] is vector i's centre. In 16 dimensions, random
// centres have cosines within about ±0.5 of each other, while sigma = 0.05
// keeps a vector's cosine to its own centre near 0.98.
func blobs(seed uint64, k, perCluster, dim int, sigma float64) (vectors [][]float32, label []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	centres := make([][]float32, k)
	for c := range centres {
		centres[c] = randomUnit(rng, dim)
	}
	for i := range k * perCluster {
		c := i % k
		v := make([]float32, dim)
		for j := range v {
			v[j] = centres[c][j] + float32(sigma*rng.NormFloat64())
		}
		vectors, label = append(vectors, Normalize(v)), append(label, c)
	}
	return vectors, label
}

func TestDot(t *testing.T) {
	// Lengths 0 to 9 exercise the four-way loop and its tail; the reference
	// is the plain loop in float64.
	for n := range 10 {
		a, b := make([]float32, n), make([]float32, n)
		var want float64
		for i := range n {
			a[i], b[i] = float32(i+1), float32(0.5*float64(i)-1)
			want += float64(a[i]) * float64(b[i])
		}
		if got := Dot(a, b); float64(got) != want {
			t.Errorf("Dot of length %d = %v, want %v", n, got, want)
		}
	}
}

func TestKMeansRecoversClusters(t *testing.T) {
	vectors, label := blobs(7, 10, 100, 16, 0.05)
	km, err := TrainKMeans(vectors, KMeansConfig{K: 10, Iterations: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// Each found cluster must hold exactly one true cluster: a bijection.
	found, err := km.Assign(vectors)
	if err != nil {
		t.Fatal(err)
	}
	trueOf := map[int]int{} // found cluster -> true cluster
	foundOf := map[int]int{}
	for i, f := range found {
		if c, ok := trueOf[f]; ok && c != label[i] {
			t.Fatalf("found cluster %d mixes true clusters %d and %d", f, c, label[i])
		}
		if g, ok := foundOf[label[i]]; ok && g != f {
			t.Fatalf("true cluster %d is split between found clusters %d and %d", label[i], g, f)
		}
		trueOf[f], foundOf[label[i]] = label[i], f
	}
	if len(trueOf) != 10 {
		t.Fatalf("%d clusters found, want 10", len(trueOf))
	}
	if rounds := len(km.MeanCos); rounds >= 50 {
		t.Errorf("still changing after %d rounds; well-separated blobs settle in a few", rounds)
	}
	for r := 1; r < len(km.MeanCos); r++ { // Lloyd's rounds never make the fit worse
		if km.MeanCos[r] < km.MeanCos[r-1]-1e-9 {
			t.Errorf("mean cosine fell from %.6f to %.6f in round %d", km.MeanCos[r-1], km.MeanCos[r], r+1)
		}
	}
	if last := km.MeanCos[len(km.MeanCos)-1]; last < 0.95 {
		t.Errorf("final mean cosine %.3f, want ≥ 0.95 (vectors sit near their centres)", last)
	}
	// Converged, each centroid is its members' mean rescaled to length 1
	// (recomputed here in float64), not merely the vector it was seeded with.
	for c := range km.K() {
		mean := make([]float64, km.Dim)
		for i, f := range found {
			if f == c {
				for j, v := range vectors[i] {
					mean[j] += float64(v)
				}
			}
		}
		var norm float64
		for _, m := range mean {
			norm += m * m
		}
		for j, m := range mean {
			if want := m / math.Sqrt(norm); math.Abs(float64(km.Centroid(c)[j])-want) > 1e-6 {
				t.Fatalf("centroid %d[%d] = %.7f, its members' normalized mean is %.7f", c, j, km.Centroid(c)[j], want)
			}
		}
	}
}

func TestKMeansBackendAgrees(t *testing.T) {
	backend, err := mlx.Backend()
	if err != nil {
		t.Skip("no backend:", err)
	}
	// 5,000 vectors: more than one chunk of assignChunk, the last one padded.
	vectors, _ := blobs(11, 20, 250, 16, 0.1)
	cfg := KMeansConfig{K: 20, Iterations: 10, Seed: 2}
	inGo, err := TrainKMeans(vectors, cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Backend = backend
	onBackend, err := TrainKMeans(vectors, cfg)
	if err != nil {
		t.Fatal(err)
	}
	// XLA sums the dot products in another order, so a vector almost
	// equally near two centroids could go either way; these blobs have none.
	if len(inGo.MeanCos) != len(onBackend.MeanCos) {
		t.Errorf("Go ran %d rounds, the backend %d", len(inGo.MeanCos), len(onBackend.MeanCos))
	}
	for c, v := range inGo.Centroids {
		if math.Abs(float64(v-onBackend.Centroids[c])) > 1e-5 {
			t.Fatalf("centroid value %d: Go %.6f, backend %.6f", c, v, onBackend.Centroids[c])
		}
	}
	a, _ := inGo.Assign(vectors)
	b, err := onBackend.Assign(vectors)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a, b) {
		t.Error("Go and the backend assign the vectors differently")
	}
}

func TestKMeansSampleAndSeed(t *testing.T) {
	vectors, _ := blobs(3, 8, 200, 16, 0.05)
	cfg := KMeansConfig{K: 8, Iterations: 20, Sample: 400, Seed: 5}
	a, err := TrainKMeans(vectors, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := TrainKMeans(vectors, cfg)
	if !slices.Equal(a.Centroids, b.Centroids) {
		t.Error("two runs with the same seed gave different centroids")
	}
	cfg.Seed = 6
	if c, _ := TrainKMeans(vectors, cfg); slices.Equal(a.Centroids, c.Centroids) {
		t.Error("another seed gave the very same centroids: is the seed used?")
	}
	// Trained on 400 of the 1,600 vectors, it still serves all of them well.
	var sum float64
	all, err := a.Assign(vectors)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range all {
		sum += float64(Dot(vectors[i], a.Centroid(c)))
	}
	if mean := sum / float64(len(vectors)); mean < 0.95 {
		t.Errorf("mean cosine of all vectors to their centroid %.3f, want ≥ 0.95", mean)
	}
}

func TestKMeansEmptyClusters(t *testing.T) {
	// Five copies each of two vectors and K = 4: k-means++ must reuse a
	// point, and the update step meets empty clusters.
	a, b := []float32{1, 0}, []float32{0, 1}
	var vectors [][]float32
	for range 5 {
		vectors = append(vectors, a, b)
	}
	km, err := TrainKMeans(vectors, KMeansConfig{K: 4, Iterations: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	got, err := km.Assign(vectors)
	if err != nil {
		t.Fatal(err)
	}
	if got[0] == got[1] {
		t.Errorf("[1 0] and [0 1] share cluster %d", got[0])
	}
	for i := range vectors {
		if got[i] != got[i%2] {
			t.Errorf("copies of one vector in clusters %d and %d", got[i%2], got[i])
		}
	}
}

func TestKMeansErrors(t *testing.T) {
	two := [][]float32{{1, 0}, {0, 1}}
	for _, tc := range []struct {
		name    string
		vectors [][]float32
		cfg     KMeansConfig
	}{
		{"no vectors", nil, KMeansConfig{K: 1, Iterations: 1}},
		{"K above n", two, KMeansConfig{K: 3, Iterations: 1}},
		{"K zero", two, KMeansConfig{K: 0, Iterations: 1}},
		{"no iterations", two, KMeansConfig{K: 1}},
		{"ragged", [][]float32{{1, 0}, {1}}, KMeansConfig{K: 1, Iterations: 1}},
		{"sample below K", two, KMeansConfig{K: 2, Iterations: 1, Sample: 1}},
	} {
		if _, err := TrainKMeans(tc.vectors, tc.cfg); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestKMeansNearest(t *testing.T) {
	km := &KMeans{Dim: 2, Centroids: []float32{1, 0, 0, 1, -1, 0, 0.6, 0.8}}
	// query [0.8 0.6]: dot products 0.8, 0.6, -0.8, 0.96
	if got, want := km.Nearest([]float32{0.8, 0.6}, 3), []int{3, 0, 1}; !slices.Equal(got, want) {
		t.Errorf("Nearest = %v, want %v", got, want)
	}
	if got := km.Nearest([]float32{0.8, 0.6}, 9); len(got) != 4 {
		t.Errorf("Nearest with n > K returned %d clusters, want all 4", len(got))
	}
	if got, err := km.Assign([][]float32{{0.8, 0.6}, {-0.6, -0.8}}); err != nil || !slices.Equal(got, []int{3, 2}) {
		t.Errorf("Assign = %v, %v; want [3 2]", got, err)
	}
	if _, err := km.Assign([][]float32{{1, 0, 0}}); err == nil {
		t.Error("Assign took 3-d vectors for 2-d centroids")
	}
}

func ExampleTrainKMeans() {
	// Three groups of two unit vectors in the plane.
	vectors := [][]float32{{1, 0}, {0.995, 0.0998}, {0, 1}, {0.0998, 0.995}, {-1, 0}, {-0.995, -0.0998}}
	km, err := TrainKMeans(vectors, KMeansConfig{K: 3, Iterations: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	cluster, err := km.Assign(vectors)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cluster[0] == cluster[1], cluster[2] == cluster[3], cluster[4] == cluster[5])
	fmt.Println("clusters:", km.K(), "rounds:", len(km.MeanCos))
	fmt.Printf("mean cosine to centroid: %.3f\n", km.MeanCos[len(km.MeanCos)-1])
	// Output:
	// true true true
	// clusters: 3 rounds: 2
	// mean cosine to centroid: 0.999
}

// BenchmarkAssign measures the assignment step of TrainKMeans on its
// notebook size, 20,000 vectors of 128 numbers and K = 400: plain Go on
// every core ("go") against one GoMLX matmul + ArgMax per chunk of 4,096
// vectors on the XLA backend ("xla", which also uses every core).
func BenchmarkAssign(b *testing.B) {
	const n, dim, k, chunk = 20000, 128, 400, 4096
	rng := rand.New(rand.NewPCG(1, 2))
	vectors := make([][]float32, n)
	for i := range vectors {
		vectors[i] = randomUnit(rng, dim)
	}
	km := &KMeans{Dim: dim}
	for range k {
		km.Centroids = append(km.Centroids, randomUnit(rng, dim)...)
	}
	multiplyAdds := float64(n) * k * dim
	b.Run("go", func(b *testing.B) {
		for b.Loop() {
			km.Assign(vectors)
		}
		b.ReportMetric(multiplyAdds*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
	})
	b.Run("xla", func(b *testing.B) {
		backend, err := mlx.Backend()
		if err != nil {
			b.Skip(err)
		}
		onBackend := &KMeans{Dim: dim, Centroids: km.Centroids}
		if onBackend.exec, err = graph.NewExec(backend, assignGraph); err != nil {
			b.Fatal(err)
		}
		if _, err := onBackend.Assign(vectors); err != nil { // compile outside the timing
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := onBackend.Assign(vectors); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(multiplyAdds*float64(b.N)/b.Elapsed().Seconds()/1e9, "GMAC/s")
	})
}
