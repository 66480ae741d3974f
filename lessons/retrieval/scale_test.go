package retrieval

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
)

// bigramEmbedder is a stand-in for a sentence encoder, for tests and for
// measuring the index without one: a random projection of a text's bag of
// syllable bigrams (SyllableBigrams) to dim numbers. Each distinct bigram
// has a fixed random Gaussian vector (seeded by its FNV-1a hash); a text is
// the sum of its bigrams' vectors, scaled to length 1. A random projection
// roughly keeps dot products (Johnson and Lindenstrauss), so two reviews
// sharing many bigrams get similar vectors: similarity of words, not of
// meaning, which is why it only stands in for a trained encoder.
type bigramEmbedder struct {
	dim   int
	cache map[string][]float32
}

func newBigramEmbedder(dim int) *bigramEmbedder {
	return &bigramEmbedder{dim: dim, cache: map[string][]float32{}}
}

func (b *bigramEmbedder) Embed(texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	for i, text := range texts {
		v := make([]float32, b.dim)
		for _, term := range SyllableBigrams(text) {
			for j, x := range b.termVector(term) {
				v[j] += x
			}
		}
		out[i] = Normalize(v)
	}
	return out, nil
}

func (b *bigramEmbedder) termVector(term string) []float32 {
	if v, ok := b.cache[term]; ok {
		return v
	}
	h := fnv.New64a()
	h.Write([]byte(term))
	rng := rand.New(rand.NewPCG(h.Sum64(), 0))
	v := make([]float32, b.dim)
	for j := range v {
		v[j] = float32(rng.NormFloat64())
	}
	b.cache[term] = v
	return v
}

func TestBigramEmbedder(t *testing.T) {
	e := newBigramEmbedder(128)
	v, _ := e.Embed([]string{"연기가 정말 좋았다", "연기가 정말 좋았어요", "지루하고 재미없다", ""})
	if s := Dot(v[0], v[1]); s < 0.6 {
		t.Errorf("reviews sharing most bigrams: cosine %.3f, want ≥ 0.6", s)
	}
	if s := Dot(v[0], v[2]); math.Abs(float64(s)) > 0.4 {
		t.Errorf("reviews sharing no bigram: cosine %.3f, want near 0", s)
	}
	if s := Dot(v[3], v[3]); s != 0 {
		t.Errorf("the empty text: %v, want the zero vector", v[3])
	}
}

// syntheticScaleData is ivfData as a ScaleData, each vector's "review"
// naming its index.
func syntheticScaleData() *ScaleData {
	vectors, queries := ivfData()
	d := &ScaleData{Vectors: vectors, QueryVectors: queries}
	for i := range vectors {
		d.Reviews = append(d.Reviews, fmt.Sprintf("review %d", i))
	}
	for q := range queries {
		d.Queries = append(d.Queries, fmt.Sprintf("query %d", q))
	}
	return d
}

// tinyScaleConfig is the tests' configuration, for syntheticScaleData.
func tinyScaleConfig() ScaleConfig {
	return ScaleConfig{NList: 32, Sample: 2000, Iterations: 20, NProbes: []int{1, 4, 32}, K: 10, Seed: 1}
}

func TestRunScale(t *testing.T) {
	d := syntheticScaleData()
	r, err := RunScale(nil, d, tinyScaleConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Points) != 3 {
		t.Fatalf("%d points, want one per nprobe (3)", len(r.Points))
	}
	for i, p := range r.Points {
		if p.QPS <= 0 || math.IsInf(p.QPS, 0) {
			t.Errorf("nprobe %d: %v queries/s", p.NProbe, p.QPS)
		}
		if i > 0 && p.Recall < r.Points[i-1].Recall {
			t.Errorf("recall fell from %.3f to %.3f at nprobe %d", r.Points[i-1].Recall, p.Recall, p.NProbe)
		}
	}
	first, last := r.Points[0], r.Points[2]
	if last.Recall != 1 || last.Scanned != float64(32+len(d.Vectors)) {
		t.Errorf("nprobe = nlist: recall %.3f, %.0f vectors compared; want 1 and %d", last.Recall, last.Scanned, 32+len(d.Vectors))
	}
	// One list of 32 holds about 4,000/32 = 125 vectors, plus the 32 centroids.
	if first.Scanned < 32+50 || first.Scanned > 32+400 {
		t.Errorf("nprobe 1 compared %.0f vectors per query, want about 157", first.Scanned)
	}
	header, rows := r.Table()
	if len(header) != 5 || len(rows) != 4 || rows[0][0] != "exact" || rows[3][0] != "IVF nprobe=32" || rows[3][1] != "1.000" {
		t.Errorf("table %v %v", header, rows)
	}
	if s := r.Summary(); !strings.Contains(s, "4000 vectors of 32 numbers") || !strings.Contains(s, "32 lists trained on 2000 vectors") {
		t.Errorf("summary:\n%s", s)
	}
	if up := r.SpeedUp(1); math.IsNaN(up) || up <= 0 {
		t.Errorf("SpeedUp(1) = %v, want the speed-up of nprobe 32", up)
	}
	if up := r.SpeedUp(1.01); !math.IsNaN(up) {
		t.Errorf("SpeedUp(1.01) = %v, want NaN: no point reaches it", up)
	}
	plot, ivf, exact := scalePlot(r)
	if svg, err := show.LinesSVG(plot, ivf, exact); err != nil || !strings.Contains(svg, "exact search") {
		t.Errorf("the plot: %v", err)
	}
	if len(ivf.X) != 3 || exact.X[0] != r.ExactQPS || exact.Y[0] != r.Points[0].Recall {
		t.Errorf("plotted IVF %v, exact %v", ivf, exact)
	}
	page := neighboursHTML(r, 3, 1)
	nearest := r.Exact.Search(d.QueryVectors[3], 1)[0].Doc
	if !strings.Contains(page, "query 3") || !regexp.MustCompile(fmt.Sprintf(`review %d\D`, nearest)).MatchString(page) {
		t.Errorf("neighbours of query 3 lack the query or its nearest review %d:\n%s", nearest, page)
	}
}

func TestLoadScaleData(t *testing.T) {
	if err := mlx.MissingData(); err != nil {
		t.Skip(err)
	}
	d, err := LoadScaleData(newBigramEmbedder(16), ScaleConfig{Reviews: 300, Queries: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Reviews) != 300 || len(d.Vectors) != 300 || len(d.Queries) != 5 || len(d.QueryVectors) != 5 {
		t.Fatalf("%d reviews, %d vectors, %d queries, %d query vectors; want 300, 300, 5, 5",
			len(d.Reviews), len(d.Vectors), len(d.Queries), len(d.QueryVectors))
	}
	// The corpus's first line and the test split's first review, in the
	// shared folder's subset or the derived one (mlx.Golden).
	review := mlx.Golden("nsmc/corpus_ko.txt", "기대를 저버리지않았음 인정", "그냥 프로그램 내려라 없는게 낫다")
	query := mlx.Golden("nsmc/ratings_test.txt", "이게 재미있다고 하시는 분들은 평소에 되게 긍정적이신가봐요 ㅎㅎ", "굳 ㅋ")
	if d.Reviews[0] != review || d.Queries[0] != query {
		t.Errorf("first review %q, first query %q; want %q and %q", d.Reviews[0], d.Queries[0], review, query)
	}
	for i, v := range d.Vectors {
		if n := Dot(v, v); n != 0 && math.Abs(float64(n)-1) > 1e-5 {
			t.Fatalf("vector %d has squared length %.6f, want 1", i, n)
		}
	}
	if _, err := LoadScaleData(newBigramEmbedder(16), ScaleConfig{Reviews: 200_000}); err == nil {
		t.Error("200,000 reviews asked of a corpus of about 150,000: no error")
	}
}

func ExampleRunScale() {
	d := syntheticScaleData() // 4,000 vectors in 40 loose blobs, 100 queries
	r, err := RunScale(nil, d, ScaleConfig{NList: 32, Sample: 2000, Iterations: 20, NProbes: []int{1, 4, 32}, K: 10, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Points { // queries/s vary from run to run; recall does not
		fmt.Printf("nprobe %2d: recall@10 %.3f, %4.0f vectors compared\n", p.NProbe, p.Recall, p.Scanned)
	}
	// Output:
	// nprobe  1: recall@10 0.399,  156 vectors compared
	// nprobe  4: recall@10 0.719,  528 vectors compared
	// nprobe 32: recall@10 1.000, 4032 vectors compared
}

// ExampleLoadScaleData is the notebook's experiment. It needs the data
// folder and the course's encoder (and takes about half a minute), so it is
// compiled but not run; TestLoadScaleData and TestRunScale check the parts.
func ExampleLoadScaleData() {
	backend := mlx.MustBackend()
	encoder, err := LoadOrTrainEncoder(backend)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := DefaultScaleConfig()
	data, err := LoadScaleData(encoder, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	r, err := RunScale(backend, data, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	ShowScale(r)
	ShowNeighbours(r, 0, 4)
	fmt.Printf("IVF at recall@10 ≥ 0.9: %.0f× faster than exact search\n", r.SpeedUp(0.9))
}

// BenchmarkScale runs the notebook's experiment (DefaultScaleConfig;
// BAEUM_QUICK=1 shrinks it) once per embedder and logs what the notebook
// shows:
//
//	BAEUM_DATA=../shared/data go test ./lessons/retrieval -run '^$' -bench Scale -benchtime 1x -v
//
// "standin" embeds with bigramEmbedder; "encoder" with the course's
// encoder (the contrastively trained one if its checkpoint exists, else
// lesson 07's BERT as pretrained; skipped when neither checkpoint exists,
// rather than training one inside a benchmark).
func BenchmarkScale(b *testing.B) {
	if err := mlx.MissingData(); err != nil {
		b.Skip(err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultScaleConfig()
	run := func(b *testing.B, e Embedder) {
		for b.Loop() {
			d, err := LoadScaleData(e, cfg)
			if err != nil {
				b.Fatal(err)
			}
			r, err := RunScale(backend, d, cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.Log("\n" + r.Summary())
			header, rows := r.Table()
			b.Log(strings.Join(header, " | "))
			for _, row := range rows {
				b.Log(strings.Join(row, " | "))
			}
			b.Log("query:", d.Queries[0])
			for _, h := range r.Exact.Search(d.QueryVectors[0], 3) {
				b.Logf("  %.3f %s", h.Score, d.Reviews[h.Doc])
			}
		}
	}
	b.Run("standin", func(b *testing.B) { run(b, newBigramEmbedder(128)) })
	b.Run("encoder", func(b *testing.B) {
		e, err := benchEncoder(b)
		if err != nil {
			b.Skip(err)
		}
		run(b, e)
	})
}

// benchEncoder loads the course's encoder from a checkpoint, never training one.
func benchEncoder(b *testing.B) (*Encoder, error) {
	backend, err := mlx.Backend()
	if err != nil {
		return nil, err
	}
	if dir, err := mlx.CheckpointDir(EncoderCheckpointName()); err == nil {
		if _, err := os.Stat(filepath.Join(dir, "encoder.json")); err == nil {
			b.Log("the contrastively trained encoder from", dir)
			return LoadEncoder(backend, dir)
		}
	}
	dir, err := mlx.CheckpointDir(pretrain.BERTCheckpointName())
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dir, "bert.json")); err != nil {
		return nil, fmt.Errorf("no encoder or BERT checkpoint: %w", err)
	}
	bert, err := pretrain.LoadBERT(dir)
	if err != nil {
		return nil, err
	}
	b.Log("lesson 07's BERT as pretrained (no contrastive training) from", dir)
	return NewEncoder(backend, bert)
}
