package retrieval

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baeum-go/baeum/lessons/finetune"
	"github.com/baeum-go/baeum/lessons/pretrain"
	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// TestInBatchLoss checks a batch of two pairs worked by hand, τ = 0.5:
//
//	a₁ = (1, 0), a₂ = (0, 1);  p₁ = (1, 0), p₂ = (0.6, 0.8)
//	s = a·pᵀ/τ = [[2, 1.2], [0, 1.6]]
//	loss₁ = −log(e² / (e² + e^1.2))  = log(1 + e^−0.8) = 0.3711006659
//	loss₂ = −log(e^1.6 / (e⁰ + e^1.6)) = log(1 + e^−1.6) = 0.1839007409
//	loss  = (loss₁ + loss₂)/2 = 0.2775007034
//
// and its gradient with respect to the anchors, ∂loss/∂aᵢ = (Σⱼ pᵢⱼ·pⱼ −
// pᵢ) / (B·τ) with pᵢⱼ = softmax(sᵢ)ⱼ: p₁. = (0.68997, 0.31003),
// p₂. = (0.16798, 0.83202), so
//
//	∂loss/∂a₁ = (−0.1240102075, 0.2480204151)
//	∂loss/∂a₂ = (0.0671926459, −0.1343852919)
//
// (the numbers from Python's math module, float64).
func TestInBatchLoss(t *testing.T) {
	anchors := tensors.FromFlatDataAndDimensions([]float64{1, 0, 0, 1}, 2, 2)
	positives := tensors.FromFlatDataAndDimensions([]float64{1, 0, 0.6, 0.8}, 2, 2)
	out := graph.MustExecOnceN(mlx.MustBackend(), func(a, p *graph.Node) []*graph.Node {
		loss := InBatchLoss(a, p, 0.5)
		return []*graph.Node{loss, graph.Gradient(loss, a)[0]}
	}, anchors, positives)
	if got := out[0].Value().(float64); math.Abs(got-0.2775007034) > 1e-9 {
		t.Errorf("loss %.10f, want 0.2775007034", got)
	}
	want := []float64{-0.1240102075, 0.2480204151, 0.0671926459, -0.1343852919}
	got := tensors.MustCopyFlatData[float64](out[1])
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 {
			t.Errorf("gradient %v, want %v", got, want)
			break
		}
	}
}

// TestPairBatches: a batch never holds a text twice, and no pair is lost
// or favoured: a pair that waits is drawn in a later batch, so over 30
// batches of 4 (ten epochs of 12 pairs) every pair is drawn about 10 times.
func TestPairBatches(t *testing.T) {
	// Pairs that share texts: (q0, P0) (q1, P0) (q2, P1) (q3, P1) ...
	var pairs []Pair
	for i := range 12 {
		pairs = append(pairs, Pair{fmt.Sprint("q", i), fmt.Sprint("P", i/2)})
	}
	d := &pairBatches{pairs: pairs, batch: 4, rng: rand.New(rand.NewPCG(1, 2))}
	drawn := map[Pair]int{}
	for range 30 {
		batch, err := d.next()
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, p := range batch {
			if seen[p.Anchor] || seen[p.Positive] {
				t.Errorf("batch %v repeats a text", batch)
			}
			seen[p.Anchor], seen[p.Positive] = true, true
			drawn[p]++
		}
	}
	for _, p := range pairs {
		if drawn[p] < 8 || drawn[p] > 12 {
			t.Errorf("over ten epochs %v was drawn %d times, want 10 ± 2", p, drawn[p])
		}
	}
	d = &pairBatches{pairs: pairs, batch: 7, rng: rand.New(rand.NewPCG(1, 2))} // only 6 distinct positives
	if _, err := d.next(); err == nil {
		t.Error("a batch larger than the distinct positives gave no error")
	}
}

// TestFAQPairs: every training question of lesson 08 finds its passage,
// none is an evaluation question of this lesson, and none is about a page
// that lesson 08 holds out.
func TestFAQPairs(t *testing.T) {
	needFAQ(t)
	pairs, inEval, unmatched, err := FAQPairs()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := finetune.LoadFAQQA()
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2*len(train) || inEval != 0 || unmatched != 0 {
		t.Errorf("%d pairs (%d in the evaluation set, %d unmatched) from %d training questions, want two each", len(pairs), inEval, unmatched, len(train))
	}
	eval, _ := LoadQuestions("ko")
	forbidden := map[string]bool{}
	for _, q := range eval {
		forbidden[questionKey(q.Q)] = true
	}
	for _, qa := range test {
		forbidden[questionKey(qa.Question)] = true
	}
	for _, p := range pairs {
		if forbidden[questionKey(p.Anchor)] {
			t.Errorf("%q is an evaluation question or one of lesson 08's held-out questions", p.Anchor)
		}
	}
	// The first pair of a question is its passage (title first), the second its paragraph.
	if !strings.Contains(pairs[0].Positive, "\n\n") || !strings.Contains(pairs[0].Positive, pairs[1].Positive) {
		t.Errorf("pairs %q and %q: want a passage and the paragraph it holds", pairs[0].Positive, pairs[1].Positive)
	}
	if got := questionKey("APT 란, 뭔가요?"); got != "apt란뭔가요" {
		t.Errorf("questionKey = %q", got)
	}
}

// TestContrastiveTrainingLowersLoss trains a tiny random encoder (its
// vocabulary learned from the pairs' own text) for 40 steps on KorSTS's
// pairs scored ≥ 4: the loss must fall by at least 30%. (It starts below
// ln 16 = 2.77, where vectors that say nothing would put it, because many
// of these pairs share most of their words, which even random weights
// notice: measured, about 1.6.)
func TestContrastiveTrainingLowersLoss(t *testing.T) {
	needFAQ(t)
	pairs, err := KorSTSPairs(4)
	if err != nil {
		t.Fatal(err)
	}
	if len(pairs) != 2*1406 {
		t.Errorf("%d KorSTS pairs, want 2 × 1,406", len(pairs))
	}
	var text strings.Builder
	for _, p := range pairs[:400] {
		text.WriteString(p.Anchor + "\n")
	}
	e := tinyEncoder(t, text.String(), 1200, 16, 32)
	cfg := ContrastiveConfig{Batch: 16, Steps: 40, Temperature: 0.05, WeightDecay: 0.01, Seed: 1}
	cfg.Schedule.LearningRate = 1e-3 // no schedule: Steps <= Warmup
	start := time.Now()
	h, err := TrainContrastive(e, pairs, cfg)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(xs []float64) float64 {
		s := 0.0
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	first, last := mean(h.Loss[:5]), mean(h.Loss[len(h.Loss)-5:])
	t.Logf("loss %.3f -> %.3f in %d steps (%.1fs)", first, last, cfg.Steps, time.Since(start).Seconds())
	if first < 0.5 || last > 0.7*first {
		t.Errorf("mean loss of the first 5 steps %.3f, of the last 5 %.3f: want a fall of 30%% or more", first, last)
	}
	if e.Trained == nil || e.Trained.Steps != 40 {
		t.Errorf("Trained = %+v, want the run's config", e.Trained)
	}
	if _, err := TrainContrastive(e, pairs[:20], cfg); err == nil {
		t.Error("20 pairs for batches of 16 gave no error")
	}
}

// TestContrastiveRaisesKorSTS trains lesson 07's BERT (from its
// checkpoint: skipped when there is none, rather than pretraining one for
// 1.5 minutes) for 60 steps of the lesson's recipe, the quick run: KorSTS
// test Spearman must rise (measured on XLA's CPU: 0.470 -> 0.511 from the
// full BERT, 0.237 -> 0.353 from the quick one). The full run's numbers are
// the notebook's check. It takes 6 s on XLA's CPU backend and over a
// minute on the pure-Go one, where it is skipped (and with -short).
func TestContrastiveRaisesKorSTS(t *testing.T) {
	needFAQ(t)
	backend := mlx.MustBackend()
	if testing.Short() || !strings.HasPrefix(backend.Name(), "xla") {
		t.Skipf("60 training steps take over a minute on the %s backend; run it on XLA", backend.Name())
	}
	dir, err := mlx.CheckpointDir(pretrain.BERTCheckpointName())
	if err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bert.json")); err != nil {
		t.Skipf("no checkpoint of lesson 07's BERT in %s (run notebook 07)", dir)
	}
	b, err := pretrain.LoadBERT(dir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := NewEncoder(backend, b)
	if err != nil {
		t.Fatal(err)
	}
	before, err := EvaluateSTS(e, "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultContrastiveConfig()
	cfg.Steps = 60
	cfg.Schedule.Steps, cfg.Schedule.Warmup = 60, 6
	pairs, err := TrainingPairs(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TrainContrastive(e, pairs, cfg); err != nil {
		t.Fatal(err)
	}
	after, err := EvaluateSTS(e, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("KorSTS test Spearman %.3f -> %.3f", before, after)
	if after <= before+0.02 {
		t.Errorf("KorSTS test Spearman %.3f before training, %.3f after 60 steps: want a rise of more than 0.02", before, after)
	}
}

func ExampleInBatchLoss() {
	anchors := [][]float64{{1, 0}, {0, 1}}
	positives := [][]float64{{1, 0}, {0.6, 0.8}}
	loss := graph.MustExecOnce(mlx.MustBackend(), func(a, p *graph.Node) *graph.Node {
		return InBatchLoss(a, p, 0.5)
	}, anchors, positives)
	fmt.Printf("%.4f\n", loss.Value())
	// Output: 0.2775
}

func ExampleDefaultContrastiveConfig() {
	cfg := DefaultContrastiveConfig()
	fmt.Println(cfg.Batch, cfg.Temperature, cfg.KorSTS, cfg.FAQ, cfg.MinScore)
	// Output: 64 0.05 true true 4
}

// ExampleFAQPairs needs the data folder, so it is compiled but not run;
// TestFAQPairs checks the same.
func ExampleFAQPairs() {
	pairs, inEval, unmatched, err := FAQPairs()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pairs), inEval, unmatched) // 1410 0 0
	fmt.Println(pairs[1].Anchor, "->", pairs[1].Positive)
}

// ExampleKorSTSPairs needs the data folder, so it is compiled but not run.
func ExampleKorSTSPairs() {
	pairs, err := KorSTSPairs(4)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(pairs), pairs[0]) // 2812 {비행기가 이륙하고 있다. 비행기가 이륙하고 있다.}
}

// LoadOrTrainEncoder trains the encoder when its checkpoint is missing (about
// 40 seconds on 2 cores), so this example is compiled but not run.
func ExampleLoadOrTrainEncoder() {
	e, err := LoadOrTrainEncoder(mlx.MustBackend())
	if err != nil {
		fmt.Println(err)
		return
	}
	ps, _ := Passages("ko")
	ix, _ := NewDenseIndex(e, Documents(ps))
	for _, h := range ix.Search("패키지를 지우려면?", 3) {
		fmt.Printf("%.3f %s\n", h.Score, ps[h.Doc].Title)
	}
}

// TrainContrastive as the notebook runs it: lesson 07's BERT as a sentence
// encoder, the lesson's pairs, the default run (compiled but not run: it
// needs the BERT's checkpoint and 40 seconds).
func ExampleTrainContrastive() {
	backend := mlx.MustBackend()
	b, err := pretrain.LoadOrTrainBERT(backend)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := NewEncoder(backend, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := DefaultContrastiveConfig()
	pairs, err := TrainingPairs(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err := TrainContrastive(e, pairs, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d pairs, loss %.2f -> %.2f\n", len(pairs), h.FirstLoss(), h.LastLoss()) // 4222 pairs, loss 2.28 -> 0.0...
}

// EvaluateSTS needs the data folder and lesson 07's checkpoint, so this
// example is compiled but not run.
func ExampleEvaluateSTS() {
	backend := mlx.MustBackend()
	b, err := pretrain.LoadOrTrainBERT(backend)
	if err != nil {
		fmt.Println(err)
		return
	}
	before, _ := NewEncoder(backend, b)
	after, err := LoadOrTrainEncoder(backend)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range []*Encoder{before, after} {
		rho, err := EvaluateSTS(e, "test")
		fmt.Printf("%.3f %v\n", rho, err) // 0.470, then 0.540
	}
}

func ExampleEncoderCheckpointName() {
	fmt.Println(EncoderCheckpointName()) // "retrieval-encoder-quick" when BAEUM_QUICK=1
}
