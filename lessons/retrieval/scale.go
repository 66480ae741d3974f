package retrieval

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/corpus"
	"github.com/baeum-go/baeum/lessons/finetune"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
)

// The scale experiment: 150,000 Korean movie reviews (corpus.LoadReviews),
// embedded, indexed with exact search and with IVF, and searched with
// held-out reviews (NSMC's test split, which shares no review with the
// corpus) as queries. For each nprobe it measures recall@10 against exact
// search and queries per second, so the notebook can draw the trade-off
// every approximate index makes: speed bought with missed neighbours.
//
// Speeds are measured one query at a time on one goroutine, exact and IVF
// alike, with the same dot product (see ivf.go), so they compare work, not
// implementations.

// ScaleConfig sets the scale experiment.
type ScaleConfig struct {
	Reviews    int     // reviews indexed: the first of corpus.LoadReviews (0: all of them)
	Queries    int     // queries: the first reviews of NSMC's test split (finetune.LoadNSMC)
	NList      int     // IVF lists, the k-means K; √Reviews is the usual start
	Sample     int     // vectors k-means trains on, drawn at random from the indexed ones
	Iterations int     // k-means rounds at most
	NProbes    []int   // the nprobe values measured
	K          int     // neighbours per query: the k of recall@k
	Seed       uint64  // of k-means
	MinSeconds float64 // each speed repeats the queries until this much time has passed
}

// DefaultScaleConfig is the notebook's run: all the reviews (150,000 in the
// shared data folder, 146,390 in the subset derived from NSMC), 400 lists
// (√150,000 ≈ 387) trained on 20,000 vectors (50 per list), 200 queries.
// mlx.Quick() indexes 20,000 reviews in 140 lists (√20,000 ≈ 141).
func DefaultScaleConfig() ScaleConfig {
	c := ScaleConfig{Reviews: 0, Queries: 200, NList: 400, Sample: 20_000, Iterations: 20,
		NProbes: []int{1, 2, 4, 8, 16, 32, 64}, K: 10, Seed: 1, MinSeconds: 0.3}
	if mlx.Quick() {
		c.Reviews, c.NList, c.Sample, c.Iterations, c.MinSeconds = 20_000, 140, 10_000, 10, 0.1
	}
	return c
}

// ScaleData is the experiment's input: the texts and their vectors.
type ScaleData struct {
	Reviews, Queries []string
	Vectors          [][]float32 // Vectors[i] is Reviews[i]'s, length 1
	QueryVectors     [][]float32 // QueryVectors[q] is Queries[q]'s, length 1
	EmbedSeconds     float64     // embedding the reviews (not the queries)
}

// LoadScaleData reads cfg.Reviews reviews and cfg.Queries queries and
// embeds them with e, showing progress in the notebook and printing how
// long the reviews took. The vectors are scaled to length 1, in case e
// does not.
func LoadScaleData(e Embedder, cfg ScaleConfig) (*ScaleData, error) {
	reviews, err := corpus.LoadReviews()
	if err != nil {
		return nil, err
	}
	if cfg.Reviews == 0 {
		cfg.Reviews = len(reviews)
	}
	if cfg.Reviews > len(reviews) {
		return nil, fmt.Errorf("retrieval.LoadScaleData: %d reviews asked, the corpus has %d", cfg.Reviews, len(reviews))
	}
	test, err := finetune.LoadNSMC("test", cfg.Queries)
	if err != nil {
		return nil, err
	}
	d := &ScaleData{Reviews: reviews[:cfg.Reviews]}
	for _, ex := range test {
		d.Queries = append(d.Queries, ex.A)
	}
	start := time.Now()
	if d.Vectors, err = EmbedAll(e, d.Reviews, ShowEmbedProgress(len(d.Reviews))); err != nil {
		return nil, err
	}
	d.EmbedSeconds = time.Since(start).Seconds()
	fmt.Printf("embedded %d reviews in %.1f s (%.0f reviews/s)\n", len(d.Reviews), d.EmbedSeconds, float64(len(d.Reviews))/d.EmbedSeconds)
	if d.QueryVectors, err = EmbedAll(e, d.Queries, nil); err != nil {
		return nil, err
	}
	for _, v := range d.Vectors {
		Normalize(v)
	}
	for _, v := range d.QueryVectors {
		Normalize(v)
	}
	return d, nil
}

// ScalePoint is one nprobe's measurement.
type ScalePoint struct {
	NProbe  int
	Recall  float64 // recall@K against exact search, averaged over the queries
	QPS     float64 // queries per second, one at a time on one goroutine
	Scanned float64 // vectors compared per query, the NList centroids included (mean)
}

// ScaleResult is what RunScale measured.
type ScaleResult struct {
	Config ScaleConfig
	Data   *ScaleData
	Index  *IVF
	Exact  *Exact

	KMeansSeconds float64 // training the quantizer on Sample vectors
	AddSeconds    float64 // assigning every vector to its list and storing it
	ExactQPS      float64 // exact search's queries per second (one at a time, one goroutine)
	Points        []ScalePoint
}

// RunScale builds the exact and the IVF index over d's vectors and measures
// them with d's queries. k-means runs its assignment step on backend (nil:
// plain Go); searching is plain Go in both indexes.
func RunScale(backend compute.Backend, d *ScaleData, cfg ScaleConfig) (*ScaleResult, error) {
	if len(d.QueryVectors) == 0 || cfg.K < 1 {
		return nil, fmt.Errorf("retrieval.RunScale: %d queries and K = %d; want at least one of each", len(d.QueryVectors), cfg.K)
	}
	r := &ScaleResult{Config: cfg, Data: d}
	start := time.Now()
	km, err := TrainKMeans(d.Vectors, KMeansConfig{K: cfg.NList, Iterations: cfg.Iterations, Sample: cfg.Sample, Seed: cfg.Seed, Backend: backend})
	if err != nil {
		return nil, err
	}
	r.KMeansSeconds = time.Since(start).Seconds()
	start = time.Now()
	if r.Index, err = NewIVF(km, d.Vectors); err != nil {
		return nil, err
	}
	r.AddSeconds = time.Since(start).Seconds()
	if r.Exact, err = NewExact(d.Vectors); err != nil {
		return nil, err
	}
	var exactHits [][]Hit // the truth that recall is measured against
	exactHits, r.ExactQPS = timeQueries(d.QueryVectors, cfg.MinSeconds, func(q []float32) []Hit { return r.Exact.Search(q, cfg.K) })
	sizes := r.Index.ListSizes()
	for _, nprobe := range cfg.NProbes {
		hits, qps := timeQueries(d.QueryVectors, cfg.MinSeconds, func(q []float32) []Hit { return r.Index.Search(q, cfg.K, nprobe) })
		var scanned int
		for _, q := range d.QueryVectors {
			scanned += r.Index.NList()
			for _, c := range km.Nearest(q, nprobe) {
				scanned += sizes[c]
			}
		}
		r.Points = append(r.Points, ScalePoint{NProbe: nprobe, Recall: NeighbourRecall(exactHits, hits), QPS: qps,
			Scanned: float64(scanned) / float64(len(d.QueryVectors))})
	}
	return r, nil
}

// timeQueries runs search on every query, again and again until minSeconds
// have passed (once at least), and returns the first pass's hits and the
// queries answered per second.
func timeQueries(queries [][]float32, minSeconds float64, search func([]float32) []Hit) ([][]Hit, float64) {
	hits := make([][]Hit, len(queries))
	start := time.Now()
	answered := 0
	for pass := 0; pass == 0 || time.Since(start).Seconds() < minSeconds; pass++ {
		for q, query := range queries {
			h := search(query)
			if pass == 0 {
				hits[q] = h
			}
		}
		answered += len(queries)
	}
	return hits, float64(answered) / time.Since(start).Seconds()
}

// Table is the notebook's table of the measurements: one row for exact
// search, then one per nprobe.
func (r *ScaleResult) Table() (header []string, rows [][]string) {
	header = []string{"search", fmt.Sprintf("recall@%d", r.Config.K), "queries/s", "speed-up", "vectors compared per query"}
	rows = append(rows, []string{"exact", "1.000", fmt.Sprintf("%.0f", r.ExactQPS), "1×", fmt.Sprintf("%d", r.Exact.Len())})
	for _, p := range r.Points {
		rows = append(rows, []string{fmt.Sprintf("IVF nprobe=%d", p.NProbe), fmt.Sprintf("%.3f", p.Recall),
			fmt.Sprintf("%.0f", p.QPS), fmt.Sprintf("%.1f×", p.QPS/r.ExactQPS), fmt.Sprintf("%.0f", p.Scanned)})
	}
	return header, rows
}

// Summary says, in a few lines, how big the indexes are and how long the
// steps took.
func (r *ScaleResult) Summary() string {
	sizes := slices.Sorted(slices.Values(r.Index.ListSizes()))
	mb := func(b int64) float64 { return float64(b) / 1e6 }
	var b strings.Builder
	fmt.Fprintf(&b, "%d vectors of %d numbers; embedding took %.1f s\n", r.Exact.Len(), r.Exact.Dim, r.Data.EmbedSeconds)
	sample := r.Config.Sample
	if sample <= 0 || sample > r.Exact.Len() {
		sample = r.Exact.Len()
	}
	fmt.Fprintf(&b, "k-means: %d lists trained on %d vectors in %.1f s; adding all vectors %.1f s\n",
		r.Index.NList(), sample, r.KMeansSeconds, r.AddSeconds)
	fmt.Fprintf(&b, "list sizes: smallest %d, median %d, largest %d\n", sizes[0], sizes[len(sizes)/2], sizes[len(sizes)-1])
	fmt.Fprintf(&b, "memory: exact %.1f MB, IVF %.1f MB (the vectors, their IDs and the centroids)\n", mb(r.Exact.Bytes()), mb(r.Index.Bytes()))
	return b.String()
}

// ShowScale prints the summary, and shows the table and recall against
// queries per second (log scale): the further right, the faster; the higher,
// the fewer neighbours missed. The vertical line is exact search's speed.
func ShowScale(r *ScaleResult) {
	fmt.Print(r.Summary())
	show.Table(r.Table())
	show.Lines(scalePlot(r))
}

// scalePlot is ShowScale's plot: IVF's points, nprobe rising from right to
// left, and exact search as a vertical line.
func scalePlot(r *ScaleResult) (show.Plot, show.Series, show.Series) {
	ivf := show.Series{Name: "IVF, nprobe " + probesLabel(r.Points)}
	lowest := 1.0
	for _, p := range r.Points {
		ivf.X, ivf.Y = append(ivf.X, p.QPS), append(ivf.Y, p.Recall)
		lowest = min(lowest, p.Recall)
	}
	exact := show.Series{Name: "exact search", X: []float64{r.ExactQPS, r.ExactQPS}, Y: []float64{lowest, 1}}
	return show.Plot{Title: fmt.Sprintf("%d reviews", r.Exact.Len()), XLabel: "queries per second, log scale",
		YLabel: fmt.Sprintf("recall@%d", r.Config.K), LogX: true}, ivf, exact
}

// probesLabel is "1 → 64" for the points' first and last nprobe.
func probesLabel(ps []ScalePoint) string {
	if len(ps) == 0 {
		return ""
	}
	return fmt.Sprintf("%d → %d", ps[0].NProbe, ps[len(ps)-1].NProbe)
}

// ShowNeighbours shows query q's review and its 5 nearest reviews by exact
// search and by IVF with nprobe lists, side by side with their cosines: what
// "similar" means to the embedder, and what the index misses.
func ShowNeighbours(r *ScaleResult, q, nprobe int) {
	show.HTML(neighboursHTML(r, q, nprobe))
}

func neighboursHTML(r *ScaleResult, q, nprobe int) string {
	const k = 5
	exact := r.Exact.Search(r.Data.QueryVectors[q], k)
	approx := r.Index.Search(r.Data.QueryVectors[q], k, nprobe)
	cell := func(hits []Hit, i int, other []Hit) string {
		if i >= len(hits) {
			return ""
		}
		h := hits[i]
		text := fmt.Sprintf("%.3f  %s", h.Score, r.Data.Reviews[h.Doc])
		if !slices.ContainsFunc(other, func(o Hit) bool { return o.Doc == h.Doc }) {
			text += "  ◀ only here"
		}
		return text
	}
	var rows [][]string
	for i := range k {
		rows = append(rows, []string{fmt.Sprint(i + 1), cell(exact, i, approx), cell(approx, i, exact)})
	}
	return fmt.Sprintf("<p><b>query:</b> %s</p>", html.EscapeString(r.Data.Queries[q])) +
		show.TableHTML([]string{"rank", "exact: cosine, review", fmt.Sprintf("IVF nprobe=%d: cosine, review", nprobe)}, rows)
}

// SpeedUp is the best queries/s of the points whose recall reaches at
// least recall, divided by exact search's; NaN when no point reaches it.
// The notebook's check cell reads it: "IVF is ≥ 10× faster at recall ≥ 0.9".
func (r *ScaleResult) SpeedUp(recall float64) float64 {
	best := math.NaN()
	for _, p := range r.Points {
		if up := p.QPS / r.ExactQPS; p.Recall >= recall && (math.IsNaN(best) || up > best) {
			best = up
		}
	}
	return best
}
